using System.Text.Json.Nodes;
using System.Xml.Linq;
using Training.Reporting;

namespace ScratchRl.Tests;

public class SweepHtmlTests
{
    private static SweepSeed Seed(ulong seed, bool finished, bool solved, params (long Step, double Mean)[] evaluations) => new()
    {
        Folder = $"runs/{seed}",
        Summary = new JsonObject
        {
            ["seed"] = seed, ["finished"] = finished, ["solved"] = solved, ["solved_at_step"] = solved ? evaluations[^1].Step : null,
            ["solved_at_seconds"] = solved ? 1.25 : null, ["wall_seconds"] = 2.0, ["env_steps"] = evaluations[^1].Step, ["preset"] = "fast",
            ["eval_mean_return"] = finished ? 480.0 : null, ["eval_std_return"] = finished ? 5.0 : null,
        },
        Evaluations = [.. evaluations.Select(e => new EvaluationRecord(e.Step, 0, e.Mean, 0, e.Mean, e.Mean, 2, false, 0))],
    };

    [Test]
    public void BandsCarryASolvedRunForwardButNotAnInterruptedOne()
    {
        SweepSeed[] seeds =
        [
            Seed(1, finished: true, solved: false, (1000, 100), (2000, 200), (3000, 300)),
            Seed(2, finished: true, solved: true, (1000, 300), (2000, 480)),  // solved and stopped at 2000: keeps 480
            Seed(3, finished: false, solved: false, (1000, 50)),              // interrupted after 1000: not counted later
        ];
        var bands = SweepHtml.Bands(seeds);
        Assert.That(bands.Select(b => b.Step), Is.EqualTo(new long[] { 1000, 2000, 3000 }));
        // Step 1000: {100, 300, 50} → quartiles by linear interpolation (numpy): 75, 100, 200.
        Assert.That(bands[0], Is.EqualTo((1000L, 75.0, 100.0, 200.0)));
        // Step 2000: {200, 480} → 270, 340, 410.
        Assert.That(bands[1], Is.EqualTo((2000L, 270.0, 340.0, 410.0)));
        // Step 3000: {300, 480} → 345, 390, 435.
        Assert.That(bands[2], Is.EqualTo((3000L, 345.0, 390.0, 435.0)));
    }

    [Test]
    public void ThePageIsWellFormedWithOneFigurePerViewAndARowPerSeed()
    {
        var report = new SweepReport
        {
            Requested = 4,
            Seeds = [Seed(1, true, true, (1000, 200), (2000, 490)), Seed(2, true, false, (1000, 100), (2000, 150)), Seed(3, false, false, (1000, 20))],
        };
        string html = SweepHtml.Render(report, "runs");
        // The body is XHTML-clean: every SVG and the table parse as XML.
        string body = html[html.IndexOf("<body>", StringComparison.Ordinal)..(html.IndexOf("</body>", StringComparison.Ordinal) + 7)];
        var doc = XDocument.Parse(body);
        Assert.That(doc.Descendants("{http://www.w3.org/2000/svg}svg").Count(), Is.EqualTo(3), "curves, steps to solve, seconds to solve");
        Assert.That(doc.Descendants("tr").Count(), Is.EqualTo(1 + 3));
        Assert.That(html, Does.Contain("stopped: 2 of 4 seeds finished").And.Contain("href=\"1/report.html\""));
        Assert.That(html, Does.Contain("1 solved seed, 1 not solved (not shown)"));
    }
}
