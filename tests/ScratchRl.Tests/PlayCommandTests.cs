using ScratchRl.Cli;

namespace ScratchRl.Tests;

public class PlayCommandTests : TempFolderTest
{
    [Test]
    public void WritesTheEpisodeAsAnAnimatedSvg()
    {
        string model = TrainCliFixtures.WriteBalanceModel(Folder);
        string svg = Path.Combine(Folder, "episode.svg");
        var (code, stdout, stderr) = CliRun.Run(null, ["play", "--model", model, "--seed", "3", "--svg", svg]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout, Does.Contain("seed 3: return 500, balanced until the time limit (500 steps).").And.Contain($"wrote {svg} (501 frames)."));
        string text = File.ReadAllText(svg);
        Assert.That(text, Does.StartWith("<svg").And.Contain("animateTransform"));
    }

    [Test]
    public void WithoutATerminalPrintsOnlyTheResult()
    {
        string model = TrainCliFixtures.WriteBalanceModel(Folder);
        var (code, stdout, stderr) = CliRun.Run(null, ["play", "--model", model, "--max-episode-steps", "50"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout.Trim(), Is.EqualTo("seed 1000000: return 50, balanced until the time limit (50 steps)."));
    }

    [Test]
    public void AMissingModelFileFailsOnOneLine()
    {
        string missing = Path.Combine(Folder, "none.safetensors");
        var (code, stdout, stderr) = CliRun.Run(null, ["play", "--model", missing]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"model file '{missing}' does not exist.");
    }
}
