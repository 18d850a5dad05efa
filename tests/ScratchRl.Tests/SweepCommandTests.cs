using System.Text.Json;
using System.Text.Json.Nodes;
using ScratchRl.Cli;
using ScratchRl.Commands;
using TinyTorch.IO;
using Training.Reporting;

namespace ScratchRl.Tests;

public class SweepCommandTests : TempFolderTest
{
    private static readonly string[] TinySweep = [.. TrainCliFixtures.TinyRun.Select(a => a == "1200" ? "700" : a)];

    [Test]
    public void TrainsEachSeedAndSummarises()
    {
        var (code, stdout, stderr) = CliRun.Run(null,
            ["sweep", .. TinySweep, "--seeds", "2", "--first-seed", "3", "--parallel", "1", "--out", Folder, "--json"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var json = JsonDocument.Parse(TrainCliFixtures.LastLine(stdout)).RootElement;
        Assert.That(json.GetProperty("runs").GetInt32(), Is.EqualTo(2));
        var seeds = json.GetProperty("per_seed").EnumerateArray().Select(r => r.GetProperty("seed").GetUInt64()).ToList();
        Assert.That(seeds, Is.EqualTo(new ulong[] { 3, 4 }));
        int solved = json.GetProperty("solved").GetInt32();
        Assert.That(json.GetProperty("solve_rate").GetDouble(), Is.EqualTo(solved / 2.0));
        Assert.That(Directory.Exists(Path.Combine(Folder, "3")) && Directory.Exists(Path.Combine(Folder, "4")), Is.True);
        Assert.That(stderr, Does.Contain("seed  solved").And.Contain($"solved {solved}/2 finished"));
        Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "sweep.json")))!.ToJsonString(),
            Is.EqualTo(JsonNode.Parse(TrainCliFixtures.LastLine(stdout))!.ToJsonString()), "sweep.json is what --json prints");
        string html = File.ReadAllText(Path.Combine(Folder, "sweep.html"));
        Assert.That(html, Does.StartWith("<!DOCTYPE html>").And.Contain("<svg").And.Contain("href=\"3/report.html\"").And.Contain("href=\"4/report.html\""));
    }

    [Test]
    public void ParallelSeedsGiveWhatEachSeedGivesAlone()
    {
        var (code, _, stderr) = CliRun.Run(null, ["sweep", .. TinySweep, "--seeds", "3", "--parallel", "2", "--out", Folder]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        for (int seed = 1; seed <= 3; seed++)
        {
            string alone = Path.Combine(Folder, $"alone-{seed}");
            var (trained, _, trainErr) = CliRun.Run(null, ["train", .. TinySweep, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", alone, "--quiet"]);
            Assert.That(trained, Is.EqualTo(ScratchRlApp.Success), trainErr);
            string swept = Path.Combine(Folder, seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (string file in new[] { "model.safetensors", "last.safetensors" })
                AssertSameTensors(Path.Combine(swept, file), Path.Combine(alone, file));
            var a = SweepSeed.Read(swept);
            var b = SweepSeed.Read(alone);
            foreach (string field in new[] { "env_steps", "episodes", "updates", "eval_mean_return", "eval_std_return", "solved_at_step", "best_eval_mean_return" })
                Assert.That(a.Summary[field]?.ToJsonString(), Is.EqualTo(b.Summary[field]?.ToJsonString()), $"seed {seed}: {field}");
            Assert.That(a.Evaluations.Select(e => e.Mean), Is.EqualTo(b.Evaluations.Select(e => e.Mean)), $"seed {seed}: evaluations");
        }
    }

    [Test]
    public void CollectBuildsTheSameReportFromRunFolders()
    {
        string sweep = Path.Combine(Folder, "sweep");
        var (code, stdout, stderr) = CliRun.Run(null, ["sweep", .. TinySweep, "--seeds", "2", "--out", sweep, "--json"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        string collected = Path.Combine(Folder, "collected");
        var (collect, collectOut, collectErr) = CliRun.Run(null,
            ["sweep", "--collect", Path.Combine(sweep, "2"), Path.Combine(sweep, "1"), "--out", collected, "--json"]);
        Assert.That(collect, Is.EqualTo(ScratchRlApp.Success), collectErr);
        var trainedJson = JsonNode.Parse(TrainCliFixtures.LastLine(stdout))!;
        var collectedJson = JsonNode.Parse(TrainCliFixtures.LastLine(collectOut))!;
        Assert.That(collectedJson.ToJsonString(), Is.EqualTo(trainedJson.ToJsonString()));
        Assert.That(File.Exists(Path.Combine(collected, "sweep.html")) && File.Exists(Path.Combine(collected, "sweep.json")), Is.True);
    }

    [Test]
    public void SweepRefusesSeedFoldersThatHoldRuns()
    {
        var (first, _, firstErr) = CliRun.Run(null, ["sweep", .. TinySweep, "--seeds", "1", "--out", Folder]);
        Assert.That(first, Is.EqualTo(ScratchRlApp.Success), firstErr);
        var (code, stdout, stderr) = CliRun.Run(null, ["sweep", .. TinySweep, "--seeds", "2", "--out", Folder]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"'{Path.Combine(Folder, "1")}' already holds a run");
        Assert.That(Directory.Exists(Path.Combine(Folder, "2")), Is.False, "nothing trained");
    }

    [Test]
    public void AStoppedSweepSaysHowManySeedsFinished()
    {
        JsonObject Summary(ulong seed, bool finished) => new()
        {
            ["seed"] = seed, ["finished"] = finished, ["solved"] = finished, ["solved_at_step"] = finished ? 1000 : null,
            ["solved_at_seconds"] = finished ? 1.5 : null, ["wall_seconds"] = 2.0, ["env_steps"] = 1000, ["preset"] = "fast",
        };
        var report = new SweepReport
        {
            Requested = 10,
            Seeds = [.. new[] { (1UL, true), (2UL, true), (3UL, false) }.Select(s => new SweepSeed { Folder = $"f{s.Item1}", Summary = Summary(s.Item1, s.Item2), Evaluations = [] })],
        };
        string line = SweepCommand.SummaryLine(report);
        Assert.That(line, Does.StartWith("stopped: 2 of 10 seeds finished (1 stopped mid-run and saved, 7 not started)"));
        Assert.That(line, Does.Contain("solved 2/2 finished"));
    }

    [Test]
    public void QuantilesInterpolateAsNumpyDoes()
    {
        // numpy.percentile([1, 2, 3, 4], 25) = 1.75, numpy.median([1, 2, 3, 4]) = 2.5, numpy.percentile([1, 2, 3, 4, 5], 75) = 4.
        Assert.That(SweepReport.Quantile([4, 1, 3, 2], 0.25), Is.EqualTo(1.75));
        Assert.That(SweepReport.Median([4, 1, 3, 2]), Is.EqualTo(2.5));
        Assert.That(SweepReport.Quantile([5, 4, 3, 2, 1], 0.75), Is.EqualTo(4));
    }

    [Test]
    public void MediansCountUnsolvedSeedsAsInfinitelySlow()
    {
        Assert.That(SweepReport.Median([3, 1, 2]), Is.EqualTo(2));
        Assert.That(SweepReport.Median([1, double.PositiveInfinity, 2]), Is.EqualTo(2));
        Assert.That(SweepReport.Median([1, double.PositiveInfinity, double.PositiveInfinity]), Is.EqualTo(double.PositiveInfinity));
        Assert.That(SweepReport.Median([1, double.PositiveInfinity]), Is.EqualTo(double.PositiveInfinity));
        Assert.That(SweepReport.Median([]), Is.NaN);
    }

    [Test]
    public void ZeroSeedsIsAUsageError()
    {
        var (code, stdout, stderr) = CliRun.Run(null, ["sweep", "--seeds", "0", "--out", Folder]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, "--seeds must be at least 1, got 0.");
    }

    private static void AssertSameTensors(string actual, string expected)
    {
        var a = Safetensors.LoadStateDict(actual);
        var b = Safetensors.LoadStateDict(expected);
        Assert.That(a.Keys, Is.EqualTo(b.Keys));
        foreach (var (name, tensor) in a)
            Assert.That(tensor.ToArray(), Is.EqualTo(b[name].ToArray()), $"{actual}: {name}");
    }
}
