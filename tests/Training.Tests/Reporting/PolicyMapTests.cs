using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CartPole;
using Training.Config;
using Training.Policies;
using Training.Reporting;
using TinyTorch;
using TinyTorch.Nn;

namespace Training.Tests.Reporting;

/// <summary>
/// report.html's policy and value maps: each cell's colour and value checked against the network evaluated
/// independently (the autograd forward pass, not the workspace the policy uses), and both maps in the page.
/// </summary>
public partial class PolicyMapTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>A random 4-16-2 MLP whose first layer is scaled up so its greedy action changes across the map.</summary>
    private static Sequential Network()
    {
        var net = Sequential.Mlp(new Rng(11), 4, [16], 2);
        foreach (var (name, p) in net.NamedParameters())
            if (name == "0.weight")
                for (int i = 0; i < p.Count; i++)
                    p.Data[i] *= 8;
        return net;
    }

    /// <summary>A short made-up episode swinging through the plane.</summary>
    private static List<CartPoleState> Episode() =>
        [.. Enumerable.Range(0, 40).Select(t => new CartPoleState(0.01 * t, 0.1, 0.15 * Math.Sin(t / 6.0), 0.8 * Math.Cos(t / 6.0)))];

    /// <summary>Q(s, ·) by Sequential.Forward on a [1, 4] tensor, in double for the comparisons.</summary>
    private static double[] Q(Sequential net, float theta, float thetaDot)
    {
        Tensor q = net.Forward(Torch.FromArray([0f, 0f, theta, thetaDot], 1, 4));
        return [q.Data[0], q.Data[1]];
    }

    [Test]
    public void PolicyMapCellsHaveTheColourOfTheActionTheNetworkPrefers()
    {
        var net = Network();
        var view = PolicyView.Compute(new GreedyPolicy(net, 2), Episode());
        XDocument svg = XDocument.Parse(PolicyMapSvg.PolicyMap(view));
        Assert.That((string?)svg.Root!.Attribute("id"), Is.EqualTo("policy-map"));
        var cells = svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "cell").ToList();
        Assert.That(cells, Has.Count.EqualTo(PolicyView.Rows * PolicyView.Columns));

        int[] seen = new int[2];
        foreach (XElement cell in cells)
        {
            float theta = float.Parse(cell.Attribute("data-theta")!.Value, CultureInfo.InvariantCulture);
            float thetaDot = float.Parse(cell.Attribute("data-theta-dot")!.Value, CultureInfo.InvariantCulture);
            Assert.That(Math.Abs(theta), Is.LessThan(CartPolePhysics.ThetaThresholdRadians));
            double[] q = Q(net, theta, thetaDot);
            if (Math.Abs(q[1] - q[0]) < 1e-4)
                continue;  // too close to call in float32: either colour is right
            int expected = q[1] > q[0] ? 1 : 0;
            seen[expected]++;
            Assert.That((string?)cell.Attribute("fill"), Is.EqualTo(PolicyMapSvg.ActionColors[expected]), $"θ = {theta}, θ̇ = {thetaDot}, Q = [{q[0]}, {q[1]}]");
        }
        Assert.That(seen, Has.All.GreaterThan(50), "both actions appear on the map, so the colours are really tested");
    }

    [Test]
    public void ValueMapCellsHoldMaxQAndTheScaleRunsFromLowestToHighest()
    {
        var net = Network();
        var view = PolicyView.Compute(new GreedyPolicy(net, 2), Episode());
        XDocument svg = XDocument.Parse(PolicyMapSvg.ValueMap(view));
        Assert.That((string?)svg.Root!.Attribute("id"), Is.EqualTo("value-map"));
        var cells = svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "cell").ToList();
        Assert.That(cells, Has.Count.EqualTo(PolicyView.Rows * PolicyView.Columns));
        for (int r = 0; r < PolicyView.Rows; r += 5)
        {
            for (int c = 0; c < PolicyView.Columns; c += 7)
            {
                var (theta, thetaDot) = view.CellCentre(r, c);
                double want = Q(net, (float)theta, (float)thetaDot).Max();
                float got = float.Parse(cells[r * PolicyView.Columns + c].Attribute("data-value")!.Value, CultureInfo.InvariantCulture);
                Assert.That(got, Is.EqualTo(want).Within(1e-5 + 1e-5 * Math.Abs(want)), $"cell ({r}, {c})");
            }
        }
        var byValue = cells.OrderBy(e => float.Parse(e.Attribute("data-value")!.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.That((string?)byValue[0].Attribute("fill"), Is.EqualTo("#440154"), "lowest value: the dark end of the scale");
        Assert.That((string?)byValue[^1].Attribute("fill"), Is.EqualTo("#fde725"), "highest value: the yellow end");
    }

    [Test]
    public void TheEpisodeIsDrawnOnBothMapsAndItsScoresUnderTheAnimation()
    {
        var net = Network();
        var episode = Episode();
        var view = PolicyView.Compute(new GreedyPolicy(net, 2), episode);
        foreach (string map in new[] { PolicyMapSvg.PolicyMap(view), PolicyMapSvg.ValueMap(view) })
        {
            var path = XDocument.Parse(map).Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "episode");
            string points = (string)path.Element(Svg + "polyline")!.Attribute("points")!;
            Assert.That(points.Split(' ', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(episode.Count));
        }
        XDocument scores = XDocument.Parse(PolicyMapSvg.EpisodeScores(view));
        Assert.That((string?)scores.Root!.Attribute("id"), Is.EqualTo("episode-values"));
        for (int action = 0; action < 2; action++)
        {
            string points = (string)scores.Descendants(Svg + "polyline").Single(p => (string?)p.Attribute("class") == $"action-{action}").Attribute("points")!;
            Assert.That(points.Split(' ', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(episode.Count));
        }
        for (int t = 0; t < episode.Count; t += 9)
        {
            var s = episode[t];
            Tensor q = net.Forward(Torch.FromArray([(float)s.X, (float)s.XDot, (float)s.Theta, (float)s.ThetaDot], 1, 4));
            Assert.That(view.EpisodeScores[2 * t], Is.EqualTo(q.Data[0]).Within(1e-5));
            Assert.That(view.EpisodeScores[2 * t + 1], Is.EqualTo(q.Data[1]).Within(1e-5));
        }
    }

    [Test]
    public void ReportHtmlHoldsBothMapsAsWellFormedSvg()
    {
        var log = ReportTests.SyntheticRun(out var summary);
        var view = PolicyView.Compute(new GreedyPolicy(Network(), 2), Episode());
        string html = ReportHtml.Render(new RunReport { Title = "t", Config = Presets.Fast, Metrics = log, Summary = summary, Policy = view });
        foreach (string id in new[] { "policy-map", "value-map", "episode-values" })
        {
            Match m = Regex.Match(html, $"<svg [^>]*id=\"{id}\".*?</svg>", RegexOptions.Singleline);
            Assert.That(m.Success, $"an inline <svg id=\"{id}\">");
            Assert.DoesNotThrow(() => XDocument.Parse(m.Value), id);
        }
        string without = ReportHtml.Render(new RunReport { Title = "t", Config = Presets.Fast, Metrics = log, Summary = summary });
        Assert.That(without, Does.Not.Contain("policy-map"));
    }

    [Test]
    public void ProbabilityScoresShadeByTheMostLikelyAction()
    {
        var view = PolicyView.Compute(new LeanPolicy(), Episode());
        XDocument svg = XDocument.Parse(PolicyMapSvg.PolicyMap(view));
        Assert.That(svg.Descendants(Svg + "text").First().Value, Does.StartWith("Most likely action"));
        foreach (XElement cell in svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "cell"))
        {
            float theta = float.Parse(cell.Attribute("data-theta")!.Value, CultureInfo.InvariantCulture);
            Assert.That((string?)cell.Attribute("fill"), Is.EqualTo(PolicyMapSvg.ActionColors[theta > 0 ? 1 : 0]));
        }
        Assert.That(XDocument.Parse(PolicyMapSvg.ValueMap(view)).Descendants(Svg + "text").First().Value, Does.StartWith("State value V(s)"));
    }

    /// <summary>π(right | s) = σ(20θ), V(s) = 1 − |θ|: a stand-in for a policy-gradient agent.</summary>
    private sealed class LeanPolicy : IActionValues
    {
        public int ActionCount => 2;

        public ActionScoreKind ScoreKind => ActionScoreKind.Probabilities;

        public int Act(ReadOnlySpan<float> observation) => observation[2] > 0 ? 1 : 0;

        public float Evaluate(ReadOnlySpan<float> observation, Span<float> scores)
        {
            scores[1] = 1 / (1 + MathF.Exp(-20 * observation[2]));
            scores[0] = 1 - scores[1];
            return 1 - MathF.Abs(observation[2]);
        }
    }
}
