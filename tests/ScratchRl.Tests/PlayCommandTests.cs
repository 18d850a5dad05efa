using ScratchRl.Cli;

namespace ScratchRl.Tests;

public class PlayCommandTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = TrainCliFixtures.NewFolder();

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void WritesTheEpisodeAsAnAnimatedSvg()
    {
        string model = TrainCliFixtures.WriteBalanceModel(_folder);
        string svg = Path.Combine(_folder, "episode.svg");
        var (code, stdout, stderr) = CartPoleCliRun.Run(["play", "--model", model, "--seed", "3", "--svg", svg]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout, Does.Contain("seed 3: return 500, balanced until the time limit (500 steps).").And.Contain($"wrote {svg} (501 frames)."));
        string text = File.ReadAllText(svg);
        Assert.That(text, Does.StartWith("<svg").And.Contain("animateTransform"));
    }

    [Test]
    public void WithoutATerminalPrintsOnlyTheResult()
    {
        string model = TrainCliFixtures.WriteBalanceModel(_folder);
        var (code, stdout, stderr) = CartPoleCliRun.Run(["play", "--model", model, "--max-episode-steps", "50"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout.Trim(), Is.EqualTo("seed 1000000: return 50, balanced until the time limit (50 steps)."));
    }

    [Test]
    public void AMissingModelFileFailsOnOneLine()
    {
        string missing = Path.Combine(_folder, "none.safetensors");
        var (code, stdout, stderr) = CartPoleCliRun.Run(["play", "--model", missing]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"model file '{missing}' does not exist.");
    }
}
