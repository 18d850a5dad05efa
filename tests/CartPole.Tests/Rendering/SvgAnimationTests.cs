using System.Globalization;
using System.Xml.Linq;
using CartPole.Rendering;

namespace CartPole.Tests.Rendering;

public class SvgAnimationTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static CartPoleState[] Episode()
    {
        var env = new CartPoleEnv();
        var obs = new float[4];
        env.ResetTo(new CartPoleState(0, 0, 0.05, 0), obs);
        var states = new List<CartPoleState> { env.State };
        while (true)
        {
            var r = env.Step(0, obs);
            states.Add(env.State);
            if (r.Done)
                return [.. states];
        }
    }

    [Test]
    public void DocumentAnimatesCartAndPoleThroughEveryState()
    {
        var states = Episode();
        var doc = XDocument.Parse(SvgAnimation.Render(states, "a <test> & more"));
        var animations = doc.Descendants(Svg + "animateTransform").ToArray();
        var translate = animations.Single(a => (string?)a.Attribute("type") == "translate");
        var rotate = animations.Single(a => (string?)a.Attribute("type") == "rotate");

        // 640 px wide, 20 px margins: 125 px per metre around x = 320; θ in degrees about the pivot.
        var xs = translate.Attribute("values")!.Value.Split(';').Select(v => double.Parse(v.Split(' ')[0], CultureInfo.InvariantCulture)).ToArray();
        var degrees = rotate.Attribute("values")!.Value.Split(';').Select(v => double.Parse(v.Split(' ')[0], CultureInfo.InvariantCulture)).ToArray();
        Assert.That(xs, Has.Length.EqualTo(states.Length + 50), "every state, then the last one held for a second");
        for (int k = 0; k < states.Length; k++)
        {
            Assert.That(xs[k], Is.EqualTo(320 + 125 * states[k].X).Within(0.006), $"x of frame {k}");
            Assert.That(degrees[k], Is.EqualTo(states[k].Theta * 180 / Math.PI).Within(0.006), $"angle of frame {k}");
        }
        Assert.That(xs.Skip(states.Length), Is.All.EqualTo(xs[states.Length - 1]));
        Assert.That(translate.Attribute("dur")!.Value, Is.EqualTo(((states.Length + 50) * 0.02).ToString("0.##", CultureInfo.InvariantCulture) + "s"));
        Assert.That(translate.Attribute("repeatCount")!.Value, Is.EqualTo("indefinite"));
        Assert.That(doc.Descendants(Svg + "script"), Is.Empty);
        Assert.That(doc.Root!.Element(Svg + "title")!.Value, Is.EqualTo("a <test> & more"));
    }

    [Test]
    public void StepCounterShowsEachStepDuringItsFrameOnly()
    {
        var states = Episode();
        var doc = XDocument.Parse(SvgAnimation.Render(states));
        var counters = doc.Descendants(Svg + "text").Where(t => t.Value.StartsWith("step ", StringComparison.Ordinal)).ToArray();
        Assert.That(counters.Select(t => t.Value), Is.EqualTo(Enumerable.Range(0, states.Length).Select(k => $"step {k}")));
        int frames = states.Length + 50;
        var middle = counters[3].Element(Svg + "animate")!;
        Assert.That(middle.Attribute("values")!.Value, Is.EqualTo("hidden;visible;hidden"));
        var keyTimes = middle.Attribute("keyTimes")!.Value.Split(';').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.That(keyTimes[1], Is.EqualTo(3.0 / frames).Within(1e-6));
        Assert.That(keyTimes[2], Is.EqualTo(4.0 / frames).Within(1e-6));
        Assert.That(counters[^1].Element(Svg + "animate")!.Attribute("values")!.Value, Is.EqualTo("hidden;visible"), "the last step stays up during the hold");
    }

    [Test]
    public void AnEpisodeNeedsAtLeastItsStartState()
    {
        var e = Assert.Throws<ArgumentException>(() => SvgAnimation.Render([]));
        Assert.That(e!.Message, Does.Contain("at least its start state"));
        Assert.DoesNotThrow(() => XDocument.Parse(SvgAnimation.Render([new CartPoleState(0, 0, 0, 0)])));
    }
}
