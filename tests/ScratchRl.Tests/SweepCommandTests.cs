using System.Text.Json;
using ScratchRl.Cli;
using ScratchRl.Commands;

namespace ScratchRl.Tests;

public class SweepCommandTests : TempFolderTest
{
    [Test]
    public void TrainsEachSeedAndSummarises()
    {
        var (code, stdout, stderr) = CliRun.Run(null, 
            ["sweep", .. TrainCliFixtures.TinyRun, "--total-steps", "700", "--seeds", "2", "--first-seed", "3", "--out", Folder, "--json"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var json = JsonDocument.Parse(TrainCliFixtures.LastLine(stdout)).RootElement;
        Assert.That(json.GetProperty("runs").GetInt32(), Is.EqualTo(2));
        var seeds = json.GetProperty("per_seed").EnumerateArray().Select(r => r.GetProperty("seed").GetUInt64()).ToList();
        Assert.That(seeds, Is.EqualTo(new ulong[] { 3, 4 }));
        int solved = json.GetProperty("solved").GetInt32();
        Assert.That(json.GetProperty("solve_rate").GetDouble(), Is.EqualTo(solved / 2.0));
        Assert.That(Directory.Exists(Path.Combine(Folder, "3")) && Directory.Exists(Path.Combine(Folder, "4")), Is.True);
        Assert.That(stderr, Does.Contain("seed  solved").And.Contain($"solved {solved}/2"));
    }

    [Test]
    public void MediansCountUnsolvedSeedsAsInfinitelySlow()
    {
        Assert.That(SweepCommand.Median([3, 1, 2]), Is.EqualTo(2));
        Assert.That(SweepCommand.Median([4, 1, 3, 2]), Is.EqualTo(2.5));
        Assert.That(SweepCommand.Median([1, double.PositiveInfinity, 2]), Is.EqualTo(2));
        Assert.That(SweepCommand.Median([1, double.PositiveInfinity, double.PositiveInfinity]), Is.EqualTo(double.PositiveInfinity));
        Assert.That(SweepCommand.Median([]), Is.NaN);
    }

    [Test]
    public void ZeroSeedsIsAUsageError()
    {
        var (code, stdout, stderr) = CliRun.Run(null, ["sweep", "--seeds", "0", "--out", Folder]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, "--seeds must be at least 1, got 0.");
    }
}
