using System.Xml.Linq;
using Training.Config;
using Training.Evaluation;
using Training.Reporting;
using TinyTorch;

namespace Training.Tests.Reporting;

public class ReportTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>A plausible DQN run: returns rising from ~20 to 500 with noise, ε decaying, an evaluation every 2,000 steps.</summary>
    internal static MetricsLog SyntheticRun(out TrainingSummary summary)
    {
        var log = new MetricsLog();
        var rng = new Rng(5);
        long step = 0, nextEval = 2_000;
        int episode = 0;
        while (step < 40_000)
        {
            double progress = step / 40_000.0;
            int length = (int)Math.Clamp(20 + 480 * progress * progress + rng.NextNormal() * 60 * progress, 8, 500);
            step += length;
            episode++;
            double epsilon = Math.Max(1 - step / 10_000.0 * 0.95, 0.05);
            log.AddEpisode(new EpisodeRecord(step, episode, length, length, epsilon, step < 1000 ? double.NaN : 1.0 / (1 + step / 5000.0), step / 5000.0));
            if (step >= nextEval)
            {
                double mean = Math.Min(500, 30 + 520 * progress * progress);
                log.AddEvaluation(new EvaluationRecord(nextEval, episode, mean, 40 * (1 - progress), Math.Max(mean - 80, 8), Math.Min(mean + 50, 500), 20, false, step / 5000.0));
                nextEval += 2_000;
            }
        }
        var final = new EvaluationResult([.. Enumerable.Range(0, 100).Select(i => i % 10 == 0 ? 431.0 : 500.0)], [.. Enumerable.Repeat(500, 100)]);
        log.AddEvaluation(EvaluationRecord.From(step, episode, final, final: true, 9));
        summary = new TrainingSummary(step, episode, step - 1000, 36_000, final, TimeSpan.FromSeconds(9.25));
        return log;
    }

    [Test]
    public void CurveIsWellFormedSvgWithEveryLayer()
    {
        var log = SyntheticRun(out _);
        string svg = CurveSvg.Render(log, new CurveOptions { Title = "DQN <fast> & friends" });
        var doc = XDocument.Parse(svg);
        var root = doc.Root!;
        Assert.That(root.Name, Is.EqualTo(Svg + "svg"));
        Assert.That(svg, Does.Not.Contain("<script"));
        var polylines = root.Descendants(Svg + "polyline").ToList();
        Assert.That(polylines.Select(p => (string?)p.Attribute("class")), Is.EquivalentTo(new[] { "epsilon", "returns", "moving-average" }));
        var returns = polylines.Single(p => (string?)p.Attribute("class") == "returns");
        Assert.That(returns.Attribute("points")!.Value.Trim().Split(' '), Has.Length.EqualTo(log.Episodes.Count));
        Assert.That(root.Descendants(Svg + "g").Count(g => (string?)g.Attribute("class") == "eval"), Is.EqualTo(log.Evaluations.Count - 1));
        Assert.That(root.Descendants(Svg + "g").Count(g => (string?)g.Attribute("class") == "final-eval"), Is.EqualTo(1));
        Assert.That(root.Descendants(Svg + "line").Count(l => (string?)l.Attribute("class") == "threshold"), Is.EqualTo(1));
        string text = string.Join(" ", root.Descendants(Svg + "text").Select(t => t.Value));
        Assert.That(text, Does.Contain("DQN <fast> & friends"));
        Assert.That(text, Does.Contain("environment steps").And.Contain("episode return").And.Contain("ε (right axis)").And.Contain("solve threshold 475"));
        Assert.That(text, Does.Contain("40k"), "step ticks are labelled in thousands");
    }

    [Test]
    public void ErrorBarsStayWithinTheReturnsSeenAndTheAxisEndsNearTheBest()
    {
        // mean 495 ± 20 over episodes that scored 420..500: the bar must stop at 500, not reach 515.
        var log = new MetricsLog();
        log.AddEpisode(new EpisodeRecord(1000, 1, 500, 500, 0.05, 0.1, 1));
        log.AddEvaluation(new EvaluationRecord(1000, 1, 495, 20, 420, 500, 20, false, 1));
        var root = XDocument.Parse(CurveSvg.Render(log, new CurveOptions())).Root!;
        var bar = root.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "eval").Elements(Svg + "line").First();
        double top = Math.Min(double.Parse(bar.Attribute("y1")!.Value), double.Parse(bar.Attribute("y2")!.Value));
        double y500 = double.Parse(root.Descendants(Svg + "text").Single(t => t.Value == "500" && (string?)t.Attribute("text-anchor") == "end").Attribute("y")!.Value) - 4;
        Assert.That(top, Is.EqualTo(y500).Within(0.1), "the bar's top is the best return, 500");
        Assert.That(root.Descendants(Svg + "text").Any(t => t.Value == "600" && (string?)t.Attribute("text-anchor") == "end"), Is.False, "the return axis does not stretch to 600");
    }

    [Test]
    public void TheSolvedLabelSitsAtTheRightEndAboveItsLine()
    {
        var log = new MetricsLog();
        log.AddEpisode(new EpisodeRecord(1000, 1, 200, 200, 1.0, 0.1, 1));
        var root = XDocument.Parse(CurveSvg.Render(log, new CurveOptions())).Root!;
        var label = root.Descendants(Svg + "text").Single(t => (string?)t.Attribute("class") == "threshold-label");
        var line = root.Descendants(Svg + "line").Single(l => (string?)l.Attribute("class") == "threshold");
        Assert.That(double.Parse(label.Attribute("x")!.Value), Is.EqualTo(double.Parse(line.Attribute("x2")!.Value) - 6).Within(0.1));
        Assert.That(double.Parse(label.Attribute("y")!.Value), Is.LessThan(double.Parse(line.Attribute("y1")!.Value)), "above the line");
    }

    [Test]
    public void AStoppedRunsCurveSpansTheStepsItTook()
    {
        var log = new MetricsLog();
        log.AddEpisode(new EpisodeRecord(4000, 1, 100, 100, 0.5, 0.1, 1));
        var config = new TrainConfig { TotalTimesteps = 100_000 };
        string html = ReportHtml.Render(new RunReport { Title = "stopped", Config = config, Metrics = log });
        Assert.That(html, Does.Contain(">4k<").And.Not.Contain(">100k<"), "the step axis ends near step 4,000, not at the 100,000-step budget");
    }

    [Test]
    public void CurvePlacesPointsOnTheAxes()
    {
        // One episode at step 50 with return 500 and ε 0.5, x axis to 100 steps: it must sit mid-way along x, on the 500
        // grid line in y, and half-way up the ε axis.
        var log = new MetricsLog();
        log.AddEpisode(new EpisodeRecord(50, 1, 500, 50, 0.5, double.NaN, 0));
        string svg = CurveSvg.Render(log, new CurveOptions { MaxStep = 100, SolveThreshold = null, Width = 800, Height = 500 });
        var root = XDocument.Parse(svg).Root!;
        double[] Point(string cls) => root.Descendants(Svg + "polyline").Single(p => (string?)p.Attribute("class") == cls)
            .Attribute("points")!.Value.Trim().Split(',').Select(double.Parse).ToArray();
        var frame = root.Descendants(Svg + "rect").Single(r => (string?)r.Attribute("fill") == "none");
        double left = double.Parse(frame.Attribute("x")!.Value), top = double.Parse(frame.Attribute("y")!.Value);
        double width = double.Parse(frame.Attribute("width")!.Value), height = double.Parse(frame.Attribute("height")!.Value);
        var ret = Point("returns");
        Assert.That(ret[0], Is.EqualTo(left + width / 2).Within(0.1));
        var label500 = root.Descendants(Svg + "text").Single(t => t.Value == "500");
        Assert.That(ret[1], Is.EqualTo(double.Parse(label500.Attribute("y")!.Value) - 4).Within(0.1));
        Assert.That(ret[1], Is.GreaterThan(top), "headroom above the best return");
        Assert.That(Point("epsilon")[1], Is.EqualTo(top + height / 2).Within(0.1));
        Assert.That(svg, Does.Not.Contain("threshold"));
    }

    [Test]
    public void AnEmptyLogStillDrawsAxes()
    {
        string svg = CurveSvg.Render(new MetricsLog());
        Assert.That(XDocument.Parse(svg).Root!.Descendants(Svg + "text").Select(t => t.Value), Does.Contain("no episodes yet"));
    }

    [Test]
    public void ReportIsSelfContainedWithCurveConfigResultsAndAnimation()
    {
        var log = SyntheticRun(out var summary);
        var config = Presets.Fast with { Seed = 42 };
        const string animation = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"episode-animation\" width=\"10\" height=\"10\"></svg>";
        string html = ReportHtml.Render(new RunReport
        {
            Title = "fast <preset>",
            Config = config,
            Metrics = log,
            Summary = summary,
            AnimationSvg = animation,
            Facts = [new("machine", "2 cores")],
        });
        Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
        Assert.That(html, Does.Contain("<title>fast &lt;preset&gt;</title>"));
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("src=").And.Not.Contain("href="));
        Assert.That(html, Does.Contain("<polyline class=\"moving-average\""), "the curve is inline");
        Assert.That(html, Does.Contain(animation));
        Assert.That(html, Does.Contain("Solved: final greedy evaluation 493.1 ± 20.7 over 100 episodes"));
        Assert.That(html, Does.Contain("<tr><th>final evaluation min / max</th><td class=\"num\">431 / 500</td></tr>"));
        Assert.That(html, Does.Contain("<tr><th>solved at (confirmed evaluation)</th><td class=\"num\">step 36,000</td></tr>"));
        Assert.That(html, Does.Contain("<tr><th>seed</th><td class=\"num\">42</td></tr>"));
        Assert.That(html, Does.Contain("<tr><th>hidden_sizes</th><td class=\"num\">[128, 128]</td></tr>"));
        Assert.That(html, Does.Contain("<tr><th>learning_rate</th><td class=\"num\">0.005</td></tr>"));
        Assert.That(html, Does.Contain("<tr class=\"muted\"><th>tabular.bins</th><td class=\"num\">[1, 1, 6, 12]</td></tr>"));
        Assert.That(html, Does.Contain("<tr><th>machine</th><td class=\"num\">2 cores</td></tr>"));
    }

    [Test]
    public void AnUnfinishedRunShowsItsLastEvaluation()
    {
        var log = new MetricsLog();
        log.AddEvaluation(new EvaluationRecord(5000, 40, 123.45, 6.7, 100, 150, 20, false, 1));
        string html = ReportHtml.Render(new RunReport { Title = "t", Config = Presets.QTable, Metrics = log });
        Assert.That(html, Does.Contain("Training has not finished."));
        Assert.That(html, Does.Contain("123.45 ± 6.7 at step 5,000"));
        Assert.That(html, Does.Contain("No episode was recorded"));
        Assert.That(html, Does.Contain("<tr class=\"muted\"><th>learning_rate</th>"));
    }
}
