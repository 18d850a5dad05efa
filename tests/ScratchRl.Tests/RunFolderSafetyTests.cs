using System.Text.Json;
using ScratchRl.Cli;

namespace ScratchRl.Tests;

/// <summary>A run is never replaced silently, and a bad output path is named with the problem.</summary>
public class RunFolderSafetyTests : TempFolderTest
{
    [Test]
    public void TrainRefusesAFolderThatHoldsARunUnlessOverwrite()
    {
        var (first, _, firstErr) = CliRun.Run(null, ["train", .. TrainCliFixtures.TinyRun, "--out", Folder, "--quiet"]);
        Assert.That(first, Is.EqualTo(ScratchRlApp.Success), firstErr);
        byte[] model = File.ReadAllBytes(Path.Combine(Folder, "model.safetensors"));

        var (code, stdout, stderr) = CliRun.Run(null, ["train", .. TrainCliFixtures.TinyRun, "--seed", "9", "--out", Folder, "--quiet"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"'{Folder}' already holds a run");
        Assert.That(stderr, Does.Contain($"--resume {Folder}").And.Contain("--out").And.Contain("--overwrite"));
        Assert.That(File.ReadAllBytes(Path.Combine(Folder, "model.safetensors")), Is.EqualTo(model), "the first run is intact");

        var (again, againOut, againErr) = CliRun.Run(null, ["train", .. TrainCliFixtures.TinyRun, "--seed", "9", "--out", Folder, "--overwrite", "--json", "--quiet"]);
        Assert.That(again, Is.EqualTo(ScratchRlApp.Success), againErr);
        Assert.That(JsonDocument.Parse(TrainCliFixtures.LastLine(againOut)).RootElement.GetProperty("seed").GetUInt64(), Is.EqualTo(9));
    }

    [Test]
    public void ASecondDefaultRunGoesToTheNextFreeFolder()
    {
        Directory.CreateDirectory(Folder);
        string[] Dirs() => [.. Directory.GetDirectories(Path.Combine(Folder, "runs")).Select(Path.GetFileName).Order()!];
        var (first, _, firstErr) = CliRun.Run(Folder, ["train", .. TrainCliFixtures.TinyRun, "--quiet"]);
        Assert.That(first, Is.EqualTo(ScratchRlApp.Success), firstErr);
        var (second, _, secondErr) = CliRun.Run(Folder, ["train", .. TrainCliFixtures.TinyRun, "--quiet"]);
        Assert.That(second, Is.EqualTo(ScratchRlApp.Success), secondErr);
        Assert.That(Dirs(), Is.EqualTo(new[] { "fast-1", "fast-1-2" }));
        foreach (string run in Dirs())
            Assert.That(File.Exists(Path.Combine(Folder, "runs", run, "summary.json")), Is.True, run);
    }

    [Test]
    public void AnOutFolderThatCannotBeCreatedIsNamed()
    {
        // A folder below a file cannot be created on any system (the issue's example is /proc/nope on Linux).
        Directory.CreateDirectory(Folder);
        string file = Path.Combine(Folder, "a-file");
        File.WriteAllText(file, "");
        string target = Path.Combine(file, "run");
        var (code, stdout, stderr) = CliRun.Run(null, ["train", .. TrainCliFixtures.TinyRun, "--out", target, "--quiet"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"cannot create the folder '{target}'");
    }

    [TestCase("q-update", "qupdate/case00", "--weights weights.safetensors --target-weights target.safetensors --batch batch.safetensors")]
    [TestCase("ppo-update", "ppo/case00", "--weights weights.safetensors --batch batch.safetensors --lr 0.001 --steps 1")]
    public void UpdatesNameTheOutPathWhoseFolderIsMissingBeforeAnyStep(string verb, string reference, string arguments)
    {
        string cases = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "reference", reference);
        string output = Path.Combine(Folder, "missing", "o.safetensors");
        var (code, stdout, stderr) = CliRun.Run(cases, [verb, .. arguments.Split(' '), "--out", output]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        Assert.That(stdout, Is.Empty, "checked before the first step");
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"--out '{output}': the folder '{Path.Combine(Folder, "missing")}' does not exist.");
    }

    [Test]
    public void PlayNamesTheSvgPathWhoseFolderIsMissing()
    {
        string model = TrainCliFixtures.WriteBalanceModel(Folder);
        string svg = Path.Combine(Folder, "missing", "x.svg");
        var (code, stdout, stderr) = CliRun.Run(null, ["play", "--model", model, "--svg", svg]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"--svg '{svg}': the folder '{Path.Combine(Folder, "missing")}' does not exist.");
    }

    [Test]
    public void EvalOfAFolderSaysWhichFileToGive()
    {
        Directory.CreateDirectory(Folder);
        var (code, stdout, stderr) = CliRun.Run(null, ["eval", "--model", Folder]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"--model '{Folder}' is a folder; give a model file, such as {Path.Combine(Folder, "model.safetensors")}.");
    }

    [Test]
    public void EvalOfACheckpointSaysToUseTheModelOrLastFile()
    {
        var (trained, _, trainErr) = CliRun.Run(null, ["train", .. TrainCliFixtures.TinyRun, "--out", Folder, "--quiet"]);
        Assert.That(trained, Is.EqualTo(ScratchRlApp.Success), trainErr);
        string checkpoint = Path.Combine(Folder, "checkpoint.safetensors");
        Assert.That(File.Exists(checkpoint), Is.True);
        var (code, stdout, stderr) = CliRun.Run(null, ["eval", "--model", checkpoint]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"--model '{checkpoint}' is a training checkpoint");
        Assert.That(stderr, Does.Contain("model.safetensors").And.Contain("last.safetensors"));
    }
}
