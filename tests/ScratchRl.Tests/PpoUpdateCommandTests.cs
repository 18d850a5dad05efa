using System.Globalization;
using System.Text.Json;
using PolicyGradient;
using PolicyGradient.Update;
using ScratchRl.Cli;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Optim;

namespace ScratchRl.Tests;

/// <summary>
/// <c>scratchrl ppo-update</c> run in-process exactly as the reference cases' <c>args</c> say, in a copy of each case
/// folder: every step's statistics and the written agent must be PyTorch's (within 1e-5 + 1e-4·|expected|). Flag
/// combinations the cases do not cover are held to the library, which PolicyGradient.Tests holds to a double-precision
/// reference. Bad input ends with one line and exit 1 or 2.
/// </summary>
public class PpoUpdateCommandTests : TempFolderTest
{
    private static string CaseRoot => Path.Combine(AppContext.BaseDirectory, "data", "reference", "ppo");

    private static IEnumerable<string> Cases() =>
        Directory.GetDirectories(CaseRoot).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal);

    private static readonly string[] BaseArgs =
        ["ppo-update", "--weights", "weights.safetensors", "--batch", "batch.safetensors", "--lr", "0.001", "--steps", "2", "--out", "out.safetensors"];

    private static readonly string[] StatNames = ["loss", "pg_loss", "v_loss", "entropy", "approx_kl", "clipfrac"];

    [TestCaseSource(nameof(Cases))]
    public void ReproducesPyTorchWithTheCaseArguments(string name)
    {
        CopyCase(name);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(CaseRoot, name, "case.json")));
        string[] args = [.. json.RootElement.GetProperty("args").EnumerateArray().Select(a => a.GetString()!)];
        JsonElement[] expectedSteps = [.. json.RootElement.GetProperty("steps_stats").EnumerateArray()];

        var (code, stdout, stderr) = CliRun.Run(Folder, args);

        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stderr, Is.Empty);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(expectedSteps.Length), "one JSON object per step");
        for (int step = 0; step < lines.Length; step++)
        {
            using JsonDocument line = JsonDocument.Parse(lines[step]);
            Assert.That(line.RootElement.GetProperty("step").GetInt32(), Is.EqualTo(step + 1));
            Assert.That(line.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo((string[])["step", .. StatNames]));
            foreach (string stat in StatNames)
                Close(line.RootElement.GetProperty(stat).GetDouble(), expectedSteps[step].GetProperty(stat).GetDouble(), $"step {step + 1} {stat}");
        }

        var written = Safetensors.LoadStateDict(PathOf(args[Array.IndexOf(args, "--out") + 1]));
        var expected = Safetensors.LoadStateDict(Path.Combine(CaseRoot, name, "expected.safetensors"));
        Assert.That(written.Keys.Order(StringComparer.Ordinal), Is.EqualTo(expected.Keys.Order(StringComparer.Ordinal)), "CleanRL's Agent keys");
        foreach (var (key, want) in expected)
            for (int i = 0; i < want.Count; i++)
                Close(written[key].Data[i], want.Data[i], $"{key}[{i}]");
    }

    [TestCase("case00", "--no-norm-adv", "--no-clip-vloss", "--max-grad-norm", "none")]
    [TestCase("case01", "--clip-coef", "0.3", "--ent-coef", "0.05", "--vf-coef", "1.5", "--adam-eps", "1e-8")]
    [TestCase("case02", "--max-grad-norm", "0.01", "--no-norm-adv")]
    public void FlagCombinationsDoWhatTheLibraryDoes(string name, params string[] flags)
    {
        CopyCase(name);
        var (code, stdout, stderr) = CliRun.Run(Folder, [.. BaseArgs, .. flags, "--json"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);

        // The same two updates through the library with the flags' meaning spelled out here.
        string Value(string flag, string otherwise) => Array.IndexOf(flags, flag) is >= 0 and var i ? flags[i + 1] : otherwise;
        double Number(string flag, double otherwise) => double.Parse(Value(flag, otherwise.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var config = new PpoLossConfig
        {
            ClipCoef = Number("--clip-coef", 0.2),
            EntCoef = Number("--ent-coef", 0.01),
            VfCoef = Number("--vf-coef", 0.5),
            MaxGradNorm = Value("--max-grad-norm", "0.5") == "none" ? null : Number("--max-grad-norm", 0.5),
            NormAdv = !flags.Contains("--no-norm-adv"),
            ClipVloss = !flags.Contains("--no-clip-vloss"),
        };
        Agent agent = Agent.Load(PathOf("weights.safetensors"));
        var adam = new Adam(agent.Parameters(), lr: 0.001, eps: Number("--adam-eps", 1e-5));
        PpoBatch batch = PpoBatch.FromFile(SafetensorsFile.Read(PathOf("batch.safetensors")));
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        foreach (string line in lines)
        {
            PpoStats s = PpoUpdate.Step(agent, adam, batch, config).Stats;
            using JsonDocument json = JsonDocument.Parse(line);
            Assert.That(json.RootElement.GetProperty("loss").GetSingle(), Is.EqualTo(s.Loss), line);
            Assert.That(json.RootElement.GetProperty("clipfrac").GetSingle(), Is.EqualTo(s.ClipFrac), line);
        }
        var written = Safetensors.LoadStateDict(PathOf("out.safetensors"));
        foreach (var (key, value) in agent.StateDict())
            Assert.That(written[key].Data, Is.EqualTo(value.Data), key);

        // And the flags changed something: the defaults give another first loss.
        var (_, defaults, _) = CliRun.Run(Folder, [.. BaseArgs, "--json"]);
        Assert.That(defaults.Split('\n')[0], Is.Not.EqualTo(lines[0]));
    }

    [Test]
    public void TextOutputHasOneLinePerStepWithEveryStatistic()
    {
        CopyCase("case01");
        var (code, stdout, stderr) = CliRun.Run(Folder, BaseArgs);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        string[] words = lines[1].Split(' ');
        Assert.That(words.Where((_, i) => i % 2 == 0), Is.EqualTo((string[])["step", .. StatNames]));
        Assert.That(words[1], Is.EqualTo("2"));
    }

    [Test]
    public void ExplainWalksThroughTheUpdateAndChangesNothing()
    {
        CopyCase("case00");
        string[] args = ["ppo-update", "--weights", "weights.safetensors", "--batch", "batch.safetensors", "--lr", "0.00025", "--steps", "1", "--out", "out.safetensors"];
        var (code, stdout, stderr) = CliRun.Run(Folder, [.. args, "--explain"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        byte[] explained = File.ReadAllBytes(PathOf("out.safetensors"));
        var (plainCode, plainStdout, _) = CliRun.Run(Folder, args);
        Assert.That(plainCode, Is.EqualTo(ScratchRlApp.Success));
        Assert.That(File.ReadAllBytes(PathOf("out.safetensors")), Is.EqualTo(explained), "--explain does not change the update");
        Assert.That(stdout, Does.EndWith(plainStdout), "the statistics line ends the walkthrough");

        string[] sections = ["1. Policy", "log π_old(a|s)", "|r − 1| > ε", "2. Surrogate", "−Â·r", "3. Value", "(V_clip − R)²", "4. Entropy and loss",
            "L = L_pg − 0.01·H + 0.5·L_v", "5. Backward", "critic.4.bias", "clipped to max norm 0.5", "6. Adam step", "θ′ (read back from the agent)"];
        foreach (string section in sections)
            Assert.That(stdout, Does.Contain(section));
        Assert.That(stdout, Does.Contain("(60 more rows"), "4 of the 64 rows are shown by default");

        // The followed weight's new value, as printed, is PyTorch's (case00 is this very update).
        string weightLine = stdout.Split('\n').Single(l => l.StartsWith("6. Adam step", StringComparison.Ordinal));
        string key = weightLine.Split(": ")[1];
        string parameter = key[..key.IndexOf('[', StringComparison.Ordinal)];
        int[] index = [.. key[(key.IndexOf('[', StringComparison.Ordinal) + 1)..key.IndexOf(']', StringComparison.Ordinal)].Split(", ").Select(int.Parse)];
        float printed = float.Parse(stdout.Split('\n').Single(l => l.Contains("θ′ (read back", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture);
        Tensor expected = Safetensors.LoadStateDict(Path.Combine(CaseRoot, "case00", "expected.safetensors"))[parameter];
        Close(printed, expected[index], "the followed weight");
    }

    [Test]
    public void ExplainNamesTheVariantsTheFlagsChoose()
    {
        CopyCase("case01");
        var (code, stdout, stderr) = CliRun.Run(Folder, [.. BaseArgs, "--no-norm-adv", "--no-clip-vloss", "--max-grad-norm", "none", "--explain", "--explain-rows", "20"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout, Does.Contain("advantages as given, value loss unclipped, clipping: none"));
        Assert.That(stdout, Does.Contain("2. Surrogate: Â = A as given"));
        Assert.That(stdout, Does.Contain("L_v = ½·mean((V − R)²)"));
        Assert.That(stdout, Does.Not.Contain("V_clip"));
        Assert.That(stdout, Does.Contain("no clipping."));
        Assert.That(stdout, Does.Not.Contain("more rows"), "all 9 rows shown");
        Assert.That(stdout, Does.Contain("=== step 2 ==="));
    }

    [Test]
    public void HelpListsEveryFlag()
    {
        var (code, stdout, stderr) = HelpTests.Help(["ppo-update", "--help"], HelpTests.Profile.Piped);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        foreach (string flag in new[] { "--weights", "--batch", "--lr", "--clip-coef", "--ent-coef", "--vf-coef", "--max-grad-norm", "--no-norm-adv",
            "--no-clip-vloss", "--adam-eps", "--steps", "--out", "--json", "--explain" })
            Assert.That(stdout, Does.Contain(flag));
        Assert.That(stdout, Does.Contain("obs F32 [B,D]"));
    }

    [Test]
    public void MissingFileFailsWithOneLine()
    {
        CopyCase("case00");
        File.Delete(PathOf("batch.safetensors"));
        AssertFails(BaseArgs, ScratchRlApp.Failure, "batch.safetensors");
    }

    [Test]
    public void TruncatedWeightsFileFailsWithOneLine()
    {
        CopyCase("case00");
        byte[] bytes = File.ReadAllBytes(PathOf("weights.safetensors"));
        File.WriteAllBytes(PathOf("weights.safetensors"), bytes[..(bytes.Length / 2)]);
        AssertFails(BaseArgs, ScratchRlApp.Failure, "weights.safetensors");
    }

    [Test]
    public void NotAnAgentIsAUsageError()
    {
        CopyCase("case00");
        Safetensors.SaveStateDict(PathOf("weights.safetensors"), TinyTorch.Nn.Sequential.Mlp(new Rng(1), [4, 8, 2]).StateDict());
        AssertFails(BaseArgs, ScratchRlApp.UsageError, "is not under 'actor.' or 'critic.'; expected CleanRL's Agent keys");
    }

    [Test]
    public void ActionOutOfRangeIsAUsageError()
    {
        CopyCase("case00");
        RewriteBatch("case00", (name, entry) => name == "actions" ? SafetensorsEntry.FromArray<long>("actions", [.. entry.ToInt64Array().Select((a, i) => i == 5 ? 2L : a)], entry.Shape) : entry);
        AssertFails(BaseArgs, ScratchRlApp.UsageError, "actions[5] is 2, but the agent has 2 actions (valid: 0..1)");
    }

    [Test]
    public void ObservationWidthMismatchIsAUsageError()
    {
        CopyCase("case00");
        RewriteBatch("case00", (name, entry) => name == "obs" ? SafetensorsEntry.FromArray<float>("obs", new float[64 * 5], [64, 5]) : entry);
        AssertFails(BaseArgs, ScratchRlApp.UsageError, "obs has shape [64, 5]; expected [64, 4]");
    }

    [Test]
    public void WrongDtypeOrMissingBatchEntryIsAUsageError()
    {
        CopyCase("case00");
        RewriteBatch("case00", (name, entry) => name == "actions" ? SafetensorsEntry.FromArray<float>("actions", new float[64], [64]) : entry);
        AssertFails(BaseArgs, ScratchRlApp.UsageError, "entry actions: F32 [64]; expected I64 [B]");
        RewriteBatch("case00", (name, entry) => name == "returns" ? null : entry);
        AssertFails(BaseArgs, ScratchRlApp.UsageError, "no entry 'returns'");
    }

    [TestCase("--steps", "0", "--steps must be at least 1, got 0")]
    [TestCase("--lr", "-0.1", "--lr must be a finite number >= 0, got -0.1")]
    [TestCase("--clip-coef", "-0.2", "--clip-coef must be a finite number >= 0")]
    [TestCase("--ent-coef", "NaN", "--ent-coef must be a finite number >= 0")]
    [TestCase("--adam-eps", "Infinity", "--adam-eps must be a finite number >= 0")]
    [TestCase("--max-grad-norm", "-1", "--max-grad-norm must be a finite number >= 0")]
    [TestCase("--max-grad-norm", "off", "--max-grad-norm must be a number or none, got 'off'")]
    [TestCase("--json", "--explain", "--json and --explain cannot be combined")]
    public void BadFlagsAreUsageErrors(string flag, string value, string message)
    {
        CopyCase("case00");
        AssertFails([.. BaseArgs, flag, value], ScratchRlApp.UsageError, message);
    }

    [TestCase("--lr", "missing --lr")]
    [TestCase("--steps", "missing --steps")]
    [TestCase("--out", "missing --out")]
    public void MissingRequiredFlagIsAUsageError(string flag, string message)
    {
        CopyCase("case00");
        int i = Array.IndexOf(BaseArgs, flag);
        AssertFails([.. BaseArgs[..i], .. BaseArgs[(i + 2)..]], ScratchRlApp.UsageError, message);
    }

    private void CopyCase(string name)
    {
        Directory.CreateDirectory(Folder);
        foreach (string file in Directory.GetFiles(Path.Combine(CaseRoot, name)))
            File.Copy(file, PathOf(Path.GetFileName(file)), overwrite: true);
    }

    private string PathOf(string file) => Path.Combine(Folder, file);

    private static void Close(double actual, double expected, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(1e-5 + 1e-4 * Math.Abs(expected)), what);

    /// <summary>Exit code, exactly one readable line on stderr naming the problem, no stack trace, no output file.</summary>
    private void AssertFails(string[] args, int expectedCode, string expectedText)
    {
        File.Delete(PathOf("out.safetensors"));
        var (code, stdout, stderr) = CliRun.Run(Folder, args);
        Assert.That(code, Is.EqualTo(expectedCode), stderr);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), stderr);
        Assert.That(lines[0], Does.StartWith("scratchrl: error: ").And.Contain(expectedText));
        Assert.That(stderr + stdout, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(File.Exists(PathOf("out.safetensors")), Is.False, "nothing written");
    }

    /// <summary>Rewrites batch.safetensors with each entry of the case's replaced by <paramref name="change"/>'s result (null drops it).</summary>
    private void RewriteBatch(string name, Func<string, SafetensorsEntry, SafetensorsEntry?> change)
    {
        SafetensorsFile original = SafetensorsFile.Read(Path.Combine(CaseRoot, name, "batch.safetensors"));
        var entries = new List<SafetensorsEntry>();
        foreach (SafetensorsEntry entry in original.Entries)
            if (change(entry.Name, entry) is { } replaced)
                entries.Add(replaced);
        new SafetensorsFile(entries).Write(PathOf("batch.safetensors"));
    }
}
