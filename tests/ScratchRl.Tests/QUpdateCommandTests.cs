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
        var (code, stdout, stderr) = HelpTests.Help(["q-update", "--help"], HelpTests.Profile.Piped);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        foreach (string flag in new[] { "--weights", "--target-weights", "--batch", "--gamma", "--lr", "--loss", "--optimizer", "--double", "--dueling", "--optimizer-state", "--max-grad-norm", "--steps", "--out", "--explain" })
            Assert.That(stdout, Does.Contain(flag));
        string flat = string.Join(" ", stdout.Split((char[])[' ', '\n', '\r', '│'], StringSplitOptions.RemoveEmptyEntries));
        foreach (string text in new[] { "obs F32 [B,D]", "discounts F32 [B]", "weights F32 [B]", "\"dueling\": \"true\"", "k.exp_avg_sq", "step I64 [1]" })
            Assert.That(flat, Does.Contain(text));
    }

    [Test]
    public void ExplainShowsTheBatchsDiscountsAndWeights()
    {
        using var folder = QUpdateCaseFolder.Copy("case03");
        var (code, stdout, stderr) = CliRun.Run(folder.Folder, [.. CaseZeroArgs, "--gamma", "0.5", "--double", "--explain", "--explain-rows", "32"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout, Does.Contain("y = r + d·(1 − done)").And.Contain("L = (1/B)·Σ w·ℓ(δ)").And.Contain("∂L/∂Q(s,a) = w·clamp(δ,−β,β)/(β·B)"));
        SafetensorsFile batch = SafetensorsFile.Read(folder.PathOf("batch.safetensors"));
        float[] discounts = batch["discounts"].ToFloat32Array(), weights = batch["weights"].ToFloat32Array();
        float[] rewards = batch["rewards"].ToFloat32Array(), dones = batch["dones"].ToFloat32Array();

        // Part 2: columns …, Q_target(s′,a*), r, d, done, y; y = r + d·(1 − done)·Q_target(s′,a*) row by row.
        string[] target = Section(stdout, "2. Target");
        Assert.That(Cells(target[0])[^4..], Is.EqualTo(new[] { "r", "d", "done", "y" }));
        for (int i = 0; i < 32; i++)
        {
            double[] row = Numbers(target[1 + i]);
            Assert.That(row[^4], Is.EqualTo(rewards[i]).Within(1e-6 * (1 + Math.Abs(rewards[i]))), $"r of row {i}");
            Assert.That(row[^3], Is.EqualTo(discounts[i]).Within(1e-6), $"d of row {i}");
            Assert.That(row[^2], Is.EqualTo(dones[i]), $"done of row {i}");
            double y = rewards[i] + discounts[i] * (1 - dones[i]) * row[^5];
            Assert.That(row[^1], Is.EqualTo(y).Within(1e-5 * (1 + Math.Abs(y))), $"y of row {i}");
        }
        // Part 3: δ, ℓ(δ), w, ∂L/∂Q(s,a) = w·clamp(δ, −1, 1)/B.
        string[] errors = Section(stdout, "3. TD error");
        Assert.That(Cells(errors[0]), Is.EqualTo(new[] { "row", "δ", "ℓ(δ)", "w", "∂L/∂Q(s,a)" }));
        for (int i = 0; i < 32; i++)
        {
            double[] row = Numbers(errors[1 + i]);
            Assert.That(row[3], Is.EqualTo(weights[i]).Within(1e-6), $"w of row {i}");
            Assert.That(row[4], Is.EqualTo(weights[i] * Math.Clamp(row[1], -1, 1) / 32).Within(1e-6 * (1 + Math.Abs(row[4]))), $"∂L/∂Q(s,a) of row {i}");
        }
    }

    [Test]
    public void ADuelingNetworkIsMarkedByItsMetadataOrByTheFlag()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        // A 4-8-3 dueling network for CartPole's 2 actions: V and two advantages, saved as scratchrl train saves one.
        var rng = new Rng(7);
        Sequential online = Sequential.Mlp(rng, [4, 8, 3]), target = Sequential.Mlp(rng, [4, 8, 3]);
        Dictionary<string, string> dueling = new() { ["dueling"] = "true" };
        Safetensors.SaveStateDict(folder.PathOf("weights.safetensors"), online.StateDict(), dueling);
        Safetensors.SaveStateDict(folder.PathOf("target.safetensors"), target.StateDict(), dueling);
        string[] args = [.. CaseZeroArgs, "--gamma", "0.5", "--double", "--steps", "2"];

        var (code, stdout, stderr) = CliRun.Run(folder.Folder, [.. args, "--explain"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var byMetadata = Safetensors.LoadStateDict(folder.PathOf("out.safetensors"));

        // The same two steps through the library's dueling update: the printed losses and the written weights are its.
        SafetensorsFile batchFile = SafetensorsFile.Read(folder.PathOf("batch.safetensors"));
        var batch = new QBatch(batchFile["obs"].ToTensor(), batchFile["actions"].ToInt32Array(), batchFile["rewards"].ToTensor(),
            batchFile["next_obs"].ToTensor(), batchFile["dones"].ToTensor());
        var adam = new Adam(online.Parameters(), 1e-3);
        var config = new QUpdateConfig { Gamma = 0.5, DoubleDqn = true };
        float[] losses = [.. Enumerable.Range(0, 2).Select(_ => QUpdate.Step(online, target, adam, batch, config, dueling: true).Loss)];
        Assert.That(stdout, Does.Contain($"step 1 loss {losses[0].ToString(CultureInfo.InvariantCulture)}").And.Contain($"step 2 loss {losses[1].ToString(CultureInfo.InvariantCulture)}"));
        foreach (var (name, value) in online.StateDict())
            Assert.That(byMetadata[name].Data, Is.EqualTo(value.Data), name);

        // The explanation splits Q into V + A − mean A: check the printed rows.
        Assert.That(stdout, Does.Contain("Q-update of a dueling MLP 4-8-3 (V and 2 advantages)").And.Contain("the dueling head, each Linear"));
        string[] prediction = Section(stdout, "1. Prediction");
        Assert.That(Cells(prediction[0]), Is.EqualTo(new[] { "row", "V", "A(s,0)", "A(s,1)", "mean(A)", "Q(s,0)", "Q(s,1)", "a", "Q(s,a)" }));
        for (int i = 0; i < 4; i++)
        {
            double[] r = Numbers(prediction[1 + i]);
            Assert.That(r[4], Is.EqualTo((r[2] + r[3]) / 2).Within(2e-6 * (1 + Math.Abs(r[4]))), $"mean A of row {i}");
            Assert.That(r[5], Is.EqualTo(r[1] + r[2] - r[4]).Within(2e-6 * (1 + Math.Abs(r[5]))), $"Q(s,0) of row {i}");
            Assert.That(r[6], Is.EqualTo(r[1] + r[3] - r[4]).Within(2e-6 * (1 + Math.Abs(r[6]))), $"Q(s,1) of row {i}");
        }

        // Without the metadata, --dueling says the same; without either, 3 outputs are 3 actions and the update differs.
        var plain = new Dictionary<string, string>();
        Safetensors.SaveStateDict(folder.PathOf("weights.safetensors"), Safetensors.LoadStateDict(Path.Combine(folder.Folder, "weights.safetensors")), plain);
        Safetensors.SaveStateDict(folder.PathOf("target.safetensors"), Safetensors.LoadStateDict(Path.Combine(folder.Folder, "target.safetensors")), plain);
        Assert.That(CliRun.Run(folder.Folder, [.. args, "--dueling"]).Code, Is.EqualTo(ScratchRlApp.Success));
        var byFlag = Safetensors.LoadStateDict(folder.PathOf("out.safetensors"));
        Assert.That(CliRun.Run(folder.Folder, args).Code, Is.EqualTo(ScratchRlApp.Success));
        var asThreeActions = Safetensors.LoadStateDict(folder.PathOf("out.safetensors"));
        Assert.That(byFlag["0.weight"].Data, Is.EqualTo(byMetadata["0.weight"].Data));
        Assert.That(asThreeActions["0.weight"].Data, Is.Not.EqualTo(byMetadata["0.weight"].Data));
    }

    [Test]
    public void DuelingMetadataThatContradictsIsAUsageError()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        var stateDict = Safetensors.LoadStateDict(folder.PathOf("weights.safetensors"));
        Safetensors.SaveStateDict(folder.PathOf("weights.safetensors"), stateDict, new Dictionary<string, string> { ["dueling"] = "false" });
        AssertFails(folder, [.. CaseZeroArgs, "--dueling"], ScratchRlApp.UsageError, "its metadata says \"dueling\": \"false\", but --dueling was given");
        Safetensors.SaveStateDict(folder.PathOf("weights.safetensors"), stateDict, new Dictionary<string, string> { ["dueling"] = "yes" });
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.UsageError, "metadata \"dueling\" is \"yes\"");
    }

    /// <summary>
    /// N Adam steps in one call equal k steps, the optimizer state saved in the README's format, and N − k steps of
    /// <c>q-update --optimizer-state</c> from the weights after k: the same arithmetic, so the same bits.
    /// </summary>
    [TestCase("case03", 3, 1)]
    [TestCase("case00", 4, 2)]
    public void ResumingAdamFromItsSavedStateContinuesTheRun(string name, int n, int k)
    {
        using var folder = QUpdateCaseFolder.Copy(name);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(folder.PathOf("case.json")));
        string[] caseArgs = [.. json.RootElement.GetProperty("args").EnumerateArray().Select(a => a.GetString()!)];
        string[] args = [.. caseArgs[..Array.IndexOf(caseArgs, "--steps")], .. caseArgs[(Array.IndexOf(caseArgs, "--steps") + 2)..]];
        Assert.That(CliRun.Run(folder.Folder, [.. args, "--steps", n.ToString(CultureInfo.InvariantCulture)]).Code, Is.EqualTo(ScratchRlApp.Success));
        var inOneGo = Safetensors.LoadStateDict(folder.PathOf("out.safetensors"));

        // k steps, then the weights and Adam's state are saved.
        var c = new LibraryCase(folder);
        var adam = new Adam(c.Online.Parameters(), c.Lr);
        for (int step = 0; step < k; step++)
            QUpdate.Step(c.Online, c.Target, adam, c.Batch, c.Config);
        Safetensors.SaveStateDict(folder.PathOf("weights.safetensors"), c.Online.StateDict());
        AdamStateFile.Save(folder.PathOf("optimizer.safetensors"), adam, c.Online);
        SafetensorsFile saved = SafetensorsFile.Read(folder.PathOf("optimizer.safetensors"));
        Assert.That(saved["step"].ToInt64Array(), Is.EqualTo(new[] { (long)k }));
        Assert.That(saved["0.weight.exp_avg"].ToString(), Is.EqualTo($"0.weight.exp_avg: F32 {Tensor.FormatShape(c.Online.StateDict()["0.weight"].Shape)}"));

        var (code, stdout, stderr) = CliRun.Run(folder.Folder,
            [.. args, "--steps", (n - k).ToString(CultureInfo.InvariantCulture), "--optimizer-state", "optimizer.safetensors", "--explain"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout, Does.Contain($"resumes after {k} step").And.Contain($"Adam, t = {k + 1},"), "the next step's bias corrections use t = step + 1");
        var resumed = Safetensors.LoadStateDict(folder.PathOf("out.safetensors"));
        foreach (var (key, value) in inOneGo)
            Assert.That(resumed[key].Data, Is.EqualTo(value.Data), key);

        // Fresh moments instead of the saved ones: a different update, so the state really was used.
        Assert.That(CliRun.Run(folder.Folder, [.. args, "--steps", (n - k).ToString(CultureInfo.InvariantCulture)]).Code, Is.EqualTo(ScratchRlApp.Success));
        Assert.That(Safetensors.LoadStateDict(folder.PathOf("out.safetensors"))["0.weight"].Data, Is.Not.EqualTo(inOneGo["0.weight"].Data));
    }

    [Test]
    public void BadOptimizerStatesAreUsageErrorsNamingTheEntry()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        var online = Sequential.MlpFromStateDict(Safetensors.LoadStateDict(folder.PathOf("weights.safetensors")));
        AdamStateFile.Save(folder.PathOf("optimizer.safetensors"), new Adam(online.Parameters()), online);
        string[] args = [.. CaseZeroArgs, "--optimizer-state", "optimizer.safetensors"];
        Assert.That(CliRun.Run(folder.Folder, args).Code, Is.EqualTo(ScratchRlApp.Success), "a fresh state (step 0, zero moments) is valid");

        void Rewrite(Func<SafetensorsEntry, SafetensorsEntry?> change, params SafetensorsEntry[] extra)
        {
            var good = new List<SafetensorsEntry>();
            var fresh = new Adam(online.Parameters());
            AdamStateFile.Save(folder.PathOf("optimizer.safetensors"), fresh, online);
            foreach (SafetensorsEntry entry in SafetensorsFile.Read(folder.PathOf("optimizer.safetensors")).Entries)
                if (change(entry) is { } kept)
                    good.Add(kept);
            new SafetensorsFile([.. good, .. extra]).Write(folder.PathOf("optimizer.safetensors"));
        }
        Rewrite(e => e.Name == "2.bias.exp_avg_sq" ? null : e);
        AssertFails(folder, args, ScratchRlApp.UsageError, "--optimizer-state optimizer.safetensors: no entry '2.bias.exp_avg_sq' (F32 [64]");
        Rewrite(e => e.Name == "0.weight.exp_avg" ? SafetensorsEntry.FromArray<float>(e.Name, new float[4 * 64], [4, 64]) : e);
        AssertFails(folder, args, ScratchRlApp.UsageError, "entry 0.weight.exp_avg: F32 [4, 64]; expected F32 [64, 4], the shape of 0.weight");
        Rewrite(e => e.Name == "step" ? SafetensorsEntry.FromArray<float>("step", [3f], [1]) : e);
        AssertFails(folder, args, ScratchRlApp.UsageError, "entry step: F32 [1]; expected I64 [1]");
        Rewrite(e => e.Name == "step" ? null : e);
        AssertFails(folder, args, ScratchRlApp.UsageError, "no entry 'step'");
        Rewrite(e => e, SafetensorsEntry.FromArray<float>("6.weight.exp_avg", [1f], [1]));
        AssertFails(folder, args, ScratchRlApp.UsageError, "unexpected entry '6.weight.exp_avg'");
        AssertFails(folder, [.. args, "--optimizer", "sgd"], ScratchRlApp.UsageError, "--optimizer-state holds Adam's moments; it needs --optimizer adam");
        File.Delete(folder.PathOf("optimizer.safetensors"));
        AssertFails(folder, args, ScratchRlApp.Failure, "optimizer.safetensors");
    }

    [Test]
    public void BadDiscountsOrWeightsAreUsageErrors()
    {
        using var folder = QUpdateCaseFolder.Copy("case03");
        RewriteBatch(folder, (name, entry) => name == "discounts" ? SafetensorsEntry.FromArray<float>("discounts", new float[31], [31]) : entry);
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.UsageError, "discounts has shape [31]; expected [32]");
        RewriteBatch(folder, (name, entry) => name == "weights" ? SafetensorsEntry.FromArray<double>("weights", new double[32], [32]) : entry);
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.UsageError, "entry weights: F64 [32]; expected F32 [B]");
        RewriteBatch(folder, (name, entry) => name == "weights" ? SafetensorsEntry.FromArray<float>("weights", [.. Enumerable.Repeat(1f, 31), float.NaN], [32]) : entry);
        AssertFails(folder, CaseZeroArgs, ScratchRlApp.UsageError, "weights[31] is NaN; expected a finite number");
    }

    /// <summary>The lines of the numbered part of --explain that starts with <paramref name="heading"/>: its table's header and rows.</summary>
    private static string[] Section(string stdout, string heading)
    {
        string[] lines = stdout.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        return [.. lines.Skip(start + 1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal) && !l.StartsWith("    (", StringComparison.Ordinal))];
    }

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static double[] Numbers(string line) => [.. Cells(line).Select(c => double.Parse(c, CultureInfo.InvariantCulture))];

    /// <summary>A case folder's networks, batch and hyperparameters, loaded for the library's QUpdate.</summary>
    private sealed class LibraryCase
    {
        public LibraryCase(QUpdateCaseFolder folder)
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(folder.PathOf("case.json")));
            JsonElement c = json.RootElement;
            Online = Sequential.MlpFromStateDict(Safetensors.LoadStateDict(folder.PathOf("weights.safetensors")));
            Target = Sequential.MlpFromStateDict(Safetensors.LoadStateDict(folder.PathOf("target.safetensors")));
            SafetensorsFile b = SafetensorsFile.Read(folder.PathOf("batch.safetensors"));
            Batch = new QBatch(b["obs"].ToTensor(), b["actions"].ToInt32Array(), b["rewards"].ToTensor(), b["next_obs"].ToTensor(), b["dones"].ToTensor(),
                b.Contains("discounts") ? b["discounts"].ToTensor() : null, b.Contains("weights") ? b["weights"].ToTensor() : null);
            Lr = c.GetProperty("lr").GetDouble();
            Config = new QUpdateConfig
            {
                Gamma = c.GetProperty("gamma").GetDouble(),
                Loss = c.GetProperty("loss").GetString() == "mse" ? LossKind.Mse : LossKind.Huber,
                DoubleDqn = c.GetProperty("double").GetBoolean(),
                MaxGradNorm = c.GetProperty("max_grad_norm").ValueKind == JsonValueKind.Null ? null : c.GetProperty("max_grad_norm").GetDouble(),
            };
        }

        public Sequential Online { get; }

        public Sequential Target { get; }

        public QBatch Batch { get; }

        public double Lr { get; }

        public QUpdateConfig Config { get; }
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
