using System.Globalization;
using System.Text.Json;
using Training.Config;
using Dqn.Update;
using ScratchRl.Cli;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace ScratchRl.Tests;

/// <summary>
/// <c>scratchrl q-update</c> run in-process exactly as the reference cases' <c>args</c> say, in a copy of each case
/// folder: the printed losses and the written network must be PyTorch's. Bad input ends with one line and exit 1 or 2.
/// </summary>
public class QUpdateCommandTests
{
    private static IEnumerable<string> Cases() =>
        Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "data", "reference", "qupdate")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal);

    private static readonly string[] CaseZeroArgs =
        ["q-update", "--weights", "weights.safetensors", "--target-weights", "target.safetensors", "--batch", "batch.safetensors", "--out", "out.safetensors"];

    [TestCaseSource(nameof(Cases))]
    public void ReproducesPyTorchWithTheCaseArguments(string name)
    {
        using var folder = QUpdateCaseFolder.Copy(name);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(folder.PathOf("case.json")));
        string[] args = [.. json.RootElement.GetProperty("args").EnumerateArray().Select(a => a.GetString()!)];
        double[] losses = [.. json.RootElement.GetProperty("losses").EnumerateArray().Select(l => l.GetDouble())];
        string outFile = folder.PathOf(args[Array.IndexOf(args, "--out") + 1]);

        var (code, stdout, stderr) = CliRun.Run(folder.Folder, args);

        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stderr, Is.Empty);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(losses.Length), "one line per step");
        for (int step = 0; step < losses.Length; step++)
        {
            string[] words = lines[step].Split(' ');
            Assert.That(words[..3], Is.EqualTo(new[] { "step", (step + 1).ToString(CultureInfo.InvariantCulture), "loss" }), lines[step]);
            Assert.That(double.Parse(words[3], CultureInfo.InvariantCulture), Is.EqualTo(losses[step]).Within(1e-5 * Math.Abs(losses[step])), lines[step]);
        }

        SafetensorsFile written = SafetensorsFile.Read(outFile);
        SafetensorsFile expected = SafetensorsFile.Read(Path.Combine(folder.Source, "expected.safetensors"));
        Assert.That(written.Entries.Select(e => e.ToString()), Is.EqualTo(expected.Entries.Select(e => e.ToString())), "PyTorch's keys, dtypes, shapes and layout order");
        foreach (SafetensorsEntry want in expected.Entries)
        {
            float[] actual = written[want.Name].ToFloat32Array(), wanted = want.ToFloat32Array();
            for (int i = 0; i < wanted.Length; i++)
                Assert.That(actual[i], Is.EqualTo(wanted[i]).Within(1e-5 + 1e-4 * Math.Abs(wanted[i])), $"{want.Name}[{i}]");
        }
    }

    [Test]
    public void ExplainWalksThroughTheUpdateAndChangesNothing()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        string[] args = [.. CaseZeroArgs, "--gamma", "0.5", "--lr", "0.001", "--explain"];
        var (code, stdout, stderr) = CliRun.Run(folder.Folder, args);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        byte[] explained = File.ReadAllBytes(folder.PathOf("out.safetensors"));
        var (plainCode, plainStdout, _) = CliRun.Run(folder.Folder, [.. CaseZeroArgs, "--gamma", "0.5", "--lr", "0.001"]);
        Assert.That(plainCode, Is.EqualTo(ScratchRlApp.Success));
        Assert.That(File.ReadAllBytes(folder.PathOf("out.safetensors")), Is.EqualTo(explained), "--explain does not change the update");
        Assert.That(stdout, Does.EndWith(plainStdout), "the loss line ends the walkthrough");

        string[] sections = ["1. Prediction", "2. Target", "3. TD error", "4. Backward", "5. Optimizer step", "m = β₁·m + (1 − β₁)·g", "θ′ (read back from the network)"];
        foreach (string section in sections)
            Assert.That(stdout, Does.Contain(section));
        Assert.That(stdout, Does.Contain("(28 more rows"), "4 of the 32 rows are shown by default");
        Assert.That(stdout, Does.Not.Contain("\u001b"), "plain text, no terminal escape codes");

        // The followed weight's new value, as printed, is PyTorch's.
        string weightLine = stdout.Split('\n').Single(l => l.StartsWith("5. Optimizer step", StringComparison.Ordinal));
        string key = weightLine.Split(": ")[1];                                      // 0.weight[r, c] (...)
        string parameter = key[..key.IndexOf('[', StringComparison.Ordinal)];
        int[] index = [.. key[(key.IndexOf('[', StringComparison.Ordinal) + 1)..key.IndexOf(']', StringComparison.Ordinal)].Split(", ").Select(int.Parse)];
        float printed = float.Parse(stdout.Split('\n').Single(l => l.Contains("θ′ (read back", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture);
        SafetensorsEntry expected = SafetensorsFile.Read(Path.Combine(folder.Source, "expected.safetensors"))[parameter];
        float pyTorch = expected.ToFloat32Array()[index[0] * expected.Shape[1] + index[1]];
        Assert.That(printed, Is.EqualTo(pyTorch).Within(1e-5 + 1e-4 * Math.Abs(pyTorch)));
    }

    [Test]
    public void NegativeAndExponentNumbersParseAsValues()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        var (code, stdout, stderr) = CliRun.Run(folder.Folder,
            [.. CaseZeroArgs, "--gamma", "-0.5", "--lr", "1e-05", "--max-grad-norm", "0.1", "--optimizer", "sgd", "--loss", "mse"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        float printed = float.Parse(stdout.Trim().Split(' ')[^1], CultureInfo.InvariantCulture);

        // The same update through the library with γ = −0.5: the printed loss and the written weights must be its.
        Sequential online = Sequential.MlpFromStateDict(Safetensors.LoadStateDict(folder.PathOf("weights.safetensors")));
        Sequential target = Sequential.MlpFromStateDict(Safetensors.LoadStateDict(folder.PathOf("target.safetensors")));
        SafetensorsFile batchFile = SafetensorsFile.Read(folder.PathOf("batch.safetensors"));
        var batch = new QBatch(batchFile["obs"].ToTensor(), batchFile["actions"].ToInt32Array(), batchFile["rewards"].ToTensor(),
            batchFile["next_obs"].ToTensor(), batchFile["dones"].ToTensor());
        var optimizer = new SGD(online.Parameters(), 1e-5);
        float loss = QUpdate.Step(online, target, optimizer, batch, new QUpdateConfig { Gamma = -0.5, Loss = LossKind.Mse, MaxGradNorm = 0.1 }).Loss;
        float withPositiveGamma = QUpdate.Step(Sequential.MlpFromStateDict(Safetensors.LoadStateDict(folder.PathOf("weights.safetensors"))), target,
            new SGD(online.Parameters(), 1e-5), batch, new QUpdateConfig { Gamma = 0.5, Loss = LossKind.Mse }).Loss;
        Assert.That(printed, Is.EqualTo(loss));
        Assert.That(printed, Is.Not.EqualTo(withPositiveGamma).Within(1e-4 * loss), "γ = −0.5 was not read as something else");
        var written = Safetensors.LoadStateDict(folder.PathOf("out.safetensors"));
        foreach (var (name, value) in online.StateDict())
            Assert.That(written[name].Data, Is.EqualTo(value.Data), name);
    }

    [Test]
    public void TruncatedWeightsFileFailsWithOneLine()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        byte[] bytes = File.ReadAllBytes(folder.PathOf("weights.safetensors"));
        File.WriteAllBytes(folder.PathOf("weights.safetensors"), bytes[..(bytes.Length / 2)]);
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.Failure, "weights.safetensors");
    }

    [Test]
    public void CorruptHeaderFailsWithOneLine()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        byte[] bytes = File.ReadAllBytes(folder.PathOf("target.safetensors"));
        "not json at all"u8.CopyTo(bytes.AsSpan(8));
        File.WriteAllBytes(folder.PathOf("target.safetensors"), bytes);
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.Failure, "target.safetensors");
    }

    [Test]
    public void MissingFileFailsWithOneLine()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        File.Delete(folder.PathOf("batch.safetensors"));
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.Failure, "batch.safetensors");
    }

    [Test]
    public void ActionOutOfRangeIsAUsageError()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        RewriteBatch(folder, (name, entry) => name == "actions" ? SafetensorsEntry.FromArray<long>("actions", [.. entry.ToInt64Array().Select((a, i) => i == 5 ? 2L : a)], entry.Shape) : entry);
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.UsageError, "actions[5] is 2, but the network has 2 actions (valid: 0..1)");
    }

    [Test]
    public void ObservationWidthMismatchIsAUsageError()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        RewriteBatch(folder, (name, entry) => name == "obs" ? SafetensorsEntry.FromArray<float>("obs", new float[32 * 5], [32, 5]) : entry);
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.UsageError, "obs has shape [32, 5]; expected [32, 4]");
    }

    [Test]
    public void WrongDtypeOrMissingBatchEntryIsAUsageError()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        RewriteBatch(folder, (name, entry) => name == "actions" ? SafetensorsEntry.FromArray<float>("actions", new float[32], [32]) : entry);
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.UsageError, "entry actions: F32 [32]; expected I64 [B]");
        RewriteBatch(folder, (name, entry) => name == "dones" ? null : name == "actions" ? SafetensorsEntry.FromArray<long>("actions", new long[32], [32]) : entry);
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.UsageError, "no entry 'dones'");
    }

    [Test]
    public void NetworksOfDifferentShapesAreAUsageError()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        Safetensors.SaveStateDict(folder.PathOf("target.safetensors"), Sequential.Mlp(new Rng(1), [4, 32, 2]).StateDict());
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.UsageError, "is 4-64-64-2 but the target network");
    }

    [TestCase("--loss", "hinge", "--loss must be huber or mse, got 'hinge'")]
    [TestCase("--optimizer", "rmsprop", "--optimizer must be adam or sgd")]
    [TestCase("--steps", "0", "--steps must be at least 1, got 0")]
    [TestCase("--lr", "-0.1", "--lr must be a finite number >= 0, got -0.1")]
    [TestCase("--gamma", "Infinity", "--gamma must be a finite number")]
    [TestCase("--max-grad-norm", "-1", "--max-grad-norm must be a finite number >= 0")]
    [TestCase("--lr", "fast", "'fast'")]
    public void BadFlagsAreUsageErrors(string flag, string value, string message)
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        AssertFails(folder, [.. CaseZeroArgs, flag, value], ScratchRlApp.UsageError, message);
    }

    [Test]
    public void HelpListsEveryFlag()
    {
        // Spectre writes help to a console of its own, out of reach of Console.SetOut: run the real program.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "scratchrl.dll"), "q-update", "--help"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(ScratchRlApp.Success), stderr);
        foreach (string flag in new[] { "--weights", "--target-weights", "--batch", "--gamma", "--lr", "--loss", "--optimizer", "--double", "--max-grad-norm", "--steps", "--out", "--explain" })
            Assert.That(stdout, Does.Contain(flag));
        Assert.That(stdout, Does.Contain("obs F32 [B,D]"));
    }

    [Test]
    public void MissingRequiredFileFlagIsAUsageError()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        AssertFails(folder, CaseZeroArgs[..^2], ScratchRlApp.UsageError, "missing --out");
    }

    /// <summary>Exit code, exactly one readable line on stderr naming the problem, no stack trace, no output file.</summary>
    private static void AssertFails(QUpdateCaseFolder folder, string[] args, int expectedCode, string expectedText)
    {
        File.Delete(folder.PathOf("out.safetensors"));
        var (code, stdout, stderr) = CliRun.Run(folder.Folder, args);
        Assert.That(code, Is.EqualTo(expectedCode), stderr);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), stderr);
        Assert.That(lines[0], Does.StartWith("scratchrl: error: ").And.Contain(expectedText));
        Assert.That(stderr + stdout, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(File.Exists(folder.PathOf("out.safetensors")), Is.False, "nothing written");
    }

    /// <summary>Rewrites batch.safetensors with each entry replaced by <paramref name="change"/>'s result (null drops it).</summary>
    private static void RewriteBatch(QUpdateCaseFolder folder, Func<string, SafetensorsEntry, SafetensorsEntry?> change)
    {
        SafetensorsFile original = SafetensorsFile.Read(Path.Combine(folder.Source, "batch.safetensors"));
        var entries = new List<SafetensorsEntry>();
        foreach (SafetensorsEntry entry in original.Entries)
            if (change(entry.Name, entry) is { } replaced)
                entries.Add(replaced);
        new SafetensorsFile(entries).Write(folder.PathOf("batch.safetensors"));
    }
}
