using System.Text.Json;
using ScratchRl.Cli;
using TinyTorch.IO;

namespace ScratchRl.Tests;

/// <summary>
/// <c>train --dump-update K DIR</c> writes gradient step K of a real run as a q-update case, and replaying it with the
/// case's own <c>args</c> lands on the weights training computed; <c>--explain-update K</c> explains that step. The
/// training runs are tiny (a few hundred steps); the replay, not a captured number, is the reference.
/// </summary>
public class UpdateDumpTests : TempFolderTest
{
    private static readonly string[] Tiny =
        ["--total-steps", "400", "--learning-starts", "100", "--hidden", "16,16", "--eval-frequency", "400", "--eval-episodes", "2",
         "--final-eval-episodes", "2", "--heldout-episodes", "2", "--buffer-size", "400", "--batch-size", "16", "--quiet"];

    [TestCase("", TestName = "ReplayGivesTheTrainersWeights(fast: 3-step discounts, Double DQN, Huber, clipping, Adam)")]
    [TestCase("--per --dueling --loss mse --no-double", TestName = "ReplayGivesTheTrainersWeights(prioritized weights, dueling, MSE)")]
    [TestCase("--optimizer sgd --max-grad-norm none --n-step 1", TestName = "ReplayGivesTheTrainersWeights(SGD, no clipping, 1-step)")]
    public void ReplayingADumpedStepGivesTheTrainersWeights(string extraFlags)
    {
        string[] extra = extraFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Directory.CreateDirectory(Folder);
        var (code, _, stderr) = CliRun.Run(Folder, ["train", .. Tiny, .. extra, "--out", "run", "--dump-update", "60", "case"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        string caseFolder = Path.Combine(Folder, "case");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(caseFolder, "case.json")));
        string[] args = [.. json.RootElement.GetProperty("args").EnumerateArray().Select(a => a.GetString()!)];
        var entries = SafetensorsFile.Read(Path.Combine(caseFolder, "batch.safetensors")).Entries.Select(e => e.Name).ToList();
        Assert.That(entries, Does.Contain("discounts"));
        Assert.That(entries.Contains("weights"), Is.EqualTo(extra.Contains("--per")), "importance-sampling weights exactly when prioritized");

        var (replayCode, replayOut, replayErr) = CliRun.Run(caseFolder, args);

        Assert.That(replayCode, Is.EqualTo(ScratchRlApp.Success), replayErr);
        float loss = json.RootElement.GetProperty("losses")[0].GetSingle();
        float replayedLoss = float.Parse(replayOut.Split("step 1 loss ")[1].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(replayedLoss, Is.EqualTo(loss).Within(1e-5 + 1e-4 * Math.Abs(loss)), "the replay's loss is training's");
        var expected = Safetensors.LoadStateDict(Path.Combine(caseFolder, "expected.safetensors"));
        var replayed = Safetensors.LoadStateDict(Path.Combine(caseFolder, "out.safetensors"));
        Assert.That(replayed.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (key, tensor) in expected)
        {
            float[] e = tensor.Data.ToArray(), a = replayed[key].Data.ToArray();
            for (int i = 0; i < e.Length; i++)
                Assert.That(a[i], Is.EqualTo(e[i]).Within(1e-5 + 1e-4 * Math.Abs(e[i])), $"{key}[{i}]");
        }
    }

    [Test]
    public void ExplainUpdatePrintsTheExplanationAndChecksTheReplay()
    {
        Directory.CreateDirectory(Folder);
        var (code, stdout, stderr) = CliRun.Run(Folder, ["train", .. Tiny, "--out", "run", "--explain-update", "5"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout, Does.Contain("Gradient step 5 of this run").And.Contain("1. Prediction").And.Contain("4. Backward")
            .And.Contain("The batch has per-transition discounts d").And.Contain("the replayed weights match the trainer's"));
    }

    [TestCase("--dump-update", "0", "case", "--dump-update must be a gradient step number ≥ 1, got 0")]
    [TestCase("--dump-update", "3", null, "--dump-update K needs the folder")]
    [TestCase("--explain-update", "-1", null, "--explain-update must be a gradient step number ≥ 1, got -1")]
    public void BadArgumentsExitTwoBeforeTraining(string flag, string k, string? dir, string message)
    {
        Directory.CreateDirectory(Folder);
        string[] args = dir is null ? ["train", .. Tiny, "--out", "run", flag, k] : ["train", .. Tiny, "--out", "run", flag, k, dir];
        var (code, stdout, stderr) = CliRun.Run(Folder, args);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, message);
    }

    [Test]
    public void AStepThatNeverRunsIsAFailure()
    {
        Directory.CreateDirectory(Folder);
        var (code, stdout, _) = CliRun.Run(Folder, ["train", .. Tiny, "--out", "run", "--dump-update", "100000", "case"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        Assert.That(stdout, Does.Contain("the run ended before gradient step 100000"));
    }

    [Test]
    public void ANonEmptyDumpFolderIsRefused()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "case"));
        File.WriteAllText(Path.Combine(Folder, "case", "keep.txt"), "mine");
        var (code, _, stderr) = CliRun.Run(Folder, ["train", .. Tiny, "--out", "run", "--dump-update", "3", "case"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        Assert.That(stderr, Does.Contain("already holds files"));
        Assert.That(File.ReadAllText(Path.Combine(Folder, "case", "keep.txt")), Is.EqualTo("mine"));
    }
}
