using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using ScratchRl.Cli;

namespace ScratchRl.Tests;

/// <summary><c>scratchrl cartpole</c> run in-process, its output checked against Gymnasium's reference and hand-derived values.</summary>
public class CartPoleCliTests
{
    private static readonly string ReferencePath =
        Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "reference", "cartpole_gymnasium.jsonl");

    private string _tempDir = "";

    [SetUp]
    public void CreateTempDir()
    {
        _tempDir = Path.Combine(Path.GetTempPath(), "scratchrl-cartpole-tests-" + Environment.ProcessId + "-" + TestContext.CurrentContext.Test.ID);
        Directory.CreateDirectory(_tempDir);
    }

    [TearDown]
    public void RemoveTempDir() => Directory.Delete(_tempDir, recursive: true);

    [Test]
    public void CasesFileReproducesEveryReferenceTrajectory()
    {
        var (code, stdout, stderr) = CliRun.Run(null, "cartpole", "--cases-file", ReferencePath, "--json");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);

        var printed = ParseLines(stdout);
        var expectedCases = File.ReadLines(ReferencePath).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        int line = 0;
        foreach (var c in expectedCases)
        {
            string name = c.GetProperty("name").GetString()!;
            var steps = c.GetProperty("steps").EnumerateArray().ToArray();
            for (int t = 0; t < steps.Length; t++, line++)
            {
                Assert.That(line, Is.LessThan(printed.Length), $"{name}: output ended before step {t + 1}");
                var got = printed[line];
                Assert.That(got.GetProperty("case").GetString(), Is.EqualTo(name), $"line {line + 1}");
                Assert.That(got.GetProperty("step").GetInt32(), Is.EqualTo(t + 1), $"{name} line {line + 1}");
                AssertStepMatches(got, steps[t], $"{name} step {t + 1}");
            }
        }
        Assert.That(printed, Has.Length.EqualTo(line), "no step printed after an episode ended");
    }

    [Test]
    public void StateAndActionsReplayAReferenceEpisodeThatStartsWithNegativeValues()
    {
        var c = File.ReadLines(ReferencePath).Select(l => JsonDocument.Parse(l).RootElement)
            .First(e => e.GetProperty("name").GetString() == "truncate_500_0");
        double[] state = c.GetProperty("state").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.That(state.All(v => v < 0), Is.True, "this case starts with four negative values");
        string stateArg = string.Join(",", state.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        string actionsArg = string.Join(",", c.GetProperty("actions").EnumerateArray().Select(a => a.GetInt32()));

        // Unquoted on a shell this is a separate argument starting with '-': the form Spectre alone rejects.
        var (code, stdout, stderr) = CliRun.Run(null, "cartpole", "--state", stateArg, "--actions", actionsArg, "--json");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var printed = ParseLines(stdout);
        var steps = c.GetProperty("steps").EnumerateArray().ToArray();
        Assert.That(printed, Has.Length.EqualTo(steps.Length).And.Length.EqualTo(500));
        for (int t = 0; t < steps.Length; t++)
        {
            Assert.That(printed[t].TryGetProperty("case", out _), Is.False);
            AssertStepMatches(printed[t], steps[t], $"step {t + 1}");
        }
    }

    [Test]
    public void OneStepFromRestPrintsTheHandComputedLineExactly()
    {
        // From rest, pushing right: ẋ = τ·4400/451 = 0.19512195…, θ̇ = τ·(−600/41) = −0.29268292… (see CartPole.Tests.OptionsTests);
        // their float32 values print as 0.19512194 and -0.29268292, their shortest round-trip forms.
        var (code, stdout, _) = CliRun.Run(null, "cartpole", "--state", "0,0,0,0", "--actions", "1", "--json");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success));
        Assert.That(stdout, Is.EqualTo(
            "{\"step\":1,\"obs\":[0,0.19512194,0,-0.29268292],\"reward\":1.0,\"terminated\":false,\"truncated\":false}\n"));
        Assert.That(float.Parse("0.19512194", CultureInfo.InvariantCulture), Is.EqualTo((float)(0.02 * 4400.0 / 451.0)));
        Assert.That(float.Parse("-0.29268292", CultureInfo.InvariantCulture), Is.EqualTo((float)(0.02 * -600.0 / 41.0)));
    }

    [TestCase("-1.5e-05,0,0,0", -1.5e-05f)]
    [TestCase("-.5,0,0,0", -0.5f)]
    [TestCase("-0.01, 0, 0, 0", -0.01f)]
    [TestCase("-1E-3,0,0,0", -0.001f)]
    [TestCase("2.5e-1,0,0,0", 0.25f)]
    public void NegativeAndExponentStatesParseAsValues(string state, float expectedX)
    {
        var (code, stdout, stderr) = CliRun.Run(null, "cartpole", "--state", state, "--actions", "1", "--json");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var obs = ParseLines(stdout)[0].GetProperty("obs");
        Assert.That(obs[0].GetSingle(), Is.EqualTo(expectedX), "x moves by τ·ẋ = 0 on the first step from rest");
    }

    [Test]
    public void StopsAtTheFirstEndIgnoringTheRemainingActions()
    {
        var (code, stdout, _) = CliRun.Run(null, "cartpole", "--state", "0,0,0.20943951023931956,0", "--actions", "1,1,1,1,1", "--json");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success));
        var lines = ParseLines(stdout);
        Assert.That(lines, Has.Length.EqualTo(1), "one ulp above 12°, so the first step terminates");
        Assert.That(lines[0].GetProperty("terminated").GetBoolean(), Is.True);
    }

    [Test]
    public void MaxStepsTruncatesAndSuttonBartoChangesTheReward()
    {
        var (code, stdout, _) = CliRun.Run(null, "cartpole", "--state", "0,0,0,0", "--actions", "1,0,1,0", "--max-steps", "3", "--sutton-barto", "--json");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[2], Does.EndWith("\"reward\":0.0,\"terminated\":false,\"truncated\":true}"));
    }

    [TestCase("--state", "0,0,0", "--actions", "1", "4 comma-separated numbers")]
    [TestCase("--state", "0,nan,0,0", "--actions", "1", "x_dot must be finite")]
    [TestCase("--state", "0,0,Infinity,0", "--actions", "1", "theta must be finite")]
    [TestCase("--state", "0,0,abc,0", "--actions", "1", "theta must be a number, got 'abc'")]
    [TestCase("--state", "0,0,0,0", "--actions", "1,2", "action 2 must be 0 or 1, got '2'")]
    [TestCase("--state", "0,0,0,0", "--actions", "1,-1", "action 2 must be 0 or 1, got '-1'")]
    [TestCase("--actions", "1", "--policy", "random", "either --actions or --policy")]
    [TestCase("--policy", "greedy", "--seed", "1", "--policy must be random or balance, got 'greedy'")]
    [TestCase("--integrator", "rk4", "--seed", "1", "--integrator must be euler or semi-implicit, got 'rk4'")]
    [TestCase("--max-steps", "0", "--seed", "1", "--max-steps must be at least 1, got 0")]
    public void BadInputExitsTwoWithOneLine(string f1, string v1, string f2, string v2, string message)
    {
        var (code, stdout, stderr) = CliRun.Run(null, "cartpole", f1, v1, f2, v2, "--json");
        AssertUsageError(code, stdout, stderr, message);
    }

    [TestCase("--state", "--state needs a value")]
    [TestCase("--actions", "--actions needs a value")]
    [TestCase("--svg", "--svg needs a value")]
    [TestCase("--cases-file", "--cases-file needs a value")]
    [TestCase("--seed", "--seed needs a value")]
    public void AnOptionWithoutItsValueExitsTwo(string option, string message)
    {
        var (code, stdout, stderr) = CliRun.Run(null, "cartpole", option);
        AssertUsageError(code, stdout, stderr, message);
        (code, stdout, stderr) = CliRun.Run(null, "cartpole", option, "--json");
        AssertUsageError(code, stdout, stderr, message);
    }

    [Test]
    public void UnreadableCasesFileExitsTwo()
    {
        string missing = Path.Combine(_tempDir, "missing.jsonl");
        var (code, stdout, stderr) = CliRun.Run(null, "cartpole", "--cases-file", missing, "--json");
        AssertUsageError(code, stdout, stderr, "cannot read the cases file");
    }

    [TestCase("{\"name\":\"a\",\"state\":[0,0,0,0],\"actions\":[1]}\nnot json", "line 2")]
    [TestCase("{\"name\":\"a\",\"state\":[0,0,0],\"actions\":[1]}", "array of 4 numbers")]
    [TestCase("{\"name\":\"a\",\"state\":[0,0,\"x\",0],\"actions\":[1]}", "state[2] must be a finite number")]
    [TestCase("{\"name\":\"a\",\"state\":[0,0,0,0],\"actions\":[1,2]}", "actions[1] must be 0 or 1, got 2")]
    [TestCase("{\"state\":[0,0,0,0],\"actions\":[1]}", "\"name\" to be a string")]
    [TestCase("[1,2]", "expected a JSON object")]
    public void MalformedCasesFileExitsTwoNamingTheLineAndPrintsNoSteps(string contents, string message)
    {
        string path = Path.Combine(_tempDir, "cases.jsonl");
        File.WriteAllText(path, contents);
        var (code, stdout, stderr) = CliRun.Run(null, "cartpole", "--cases-file", path, "--json");
        AssertUsageError(code, stdout, stderr, message);
    }

    [Test]
    public void CasesFileCannotBeCombinedWithAState()
    {
        var (code, stdout, stderr) = CliRun.Run(null, "cartpole", "--cases-file", ReferencePath, "--state", "0,0,0,0", "--json");
        AssertUsageError(code, stdout, stderr, "cannot be combined");
    }

    [Test]
    public void BalancePolicyLastsTheFullEpisodeAndRandomPolicyIsSeeded()
    {
        var (code, stdout, _) = CliRun.Run(null, "cartpole", "--policy", "balance", "--seed", "3", "--json");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success));
        var lines = ParseLines(stdout);
        Assert.That(lines, Has.Length.EqualTo(500));
        Assert.That(lines[^1].GetProperty("truncated").GetBoolean(), Is.True);
        Assert.That(lines.All(l => l.GetProperty("action").GetInt32() is 0 or 1), Is.True);

        string a = CliRun.Run(null, "cartpole", "--policy", "random", "--seed", "1", "--json").Stdout;
        string b = CliRun.Run(null, "cartpole", "--policy", "random", "--seed", "1", "--json").Stdout;
        string c = CliRun.Run(null, "cartpole", "--policy", "random", "--seed", "2", "--json").Stdout;
        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.Not.EqualTo(a));
    }

    [Test]
    public void SeedIsGymnasiumsResetSeed()
    {
        // gymnasium/vector/vector_env.py, VectorEnv.step docstring: sub-environment 0 (reset with seed 42) after action 1.
        var (code, stdout, stderr) = CliRun.Run(null, "cartpole", "--seed", "42", "--actions", "1", "--json");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var obs = ParseLines(stdout)[0].GetProperty("obs");
        double[] gymnasium = [0.02727336, 0.18847767, 0.03625453, -0.26141977];
        for (int k = 0; k < 4; k++)
            Assert.That(obs[k].GetDouble(), Is.EqualTo(gymnasium[k]).Within(0.5e-8 + 1e-12), $"obs[{k}]");
    }

    [Test]
    public void TableAndFramesNeverPrintAMinusBeforeAPlus()
    {
        // issue 8 §7: x = -1e-5 (and unchanged by the first step, ẋ being 0) printed as "-+0.0000" with .NET's
        // "+0.0000;-0.0000" format, which puts a minus before the first section when a negative value rounds to zero.
        var (code, stdout, _) = CliRun.Run(null, "cartpole", "--state", "-0.00001,0,0,0", "--actions", "1,0");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success));
        Assert.That(stdout, Does.Not.Contain("-+"));
        Assert.That(stdout, Does.Contain("+0.0000"));
    }

    [Test]
    public void ReadableOutputShowsTheTableTheFrameAndWhyItEnded()
    {
        var (code, stdout, _) = CliRun.Run(null, "cartpole", "--state", "0,0,0.2,0.5", "--actions", "0,0,0,0,0");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success));
        Assert.That(stdout, Does.Contain("θ (rad)").And.Contain("terminated"));
        Assert.That(stdout, Does.Contain("┌──●──┐"), "the final text frame");
        Assert.That(stdout, Does.Contain("terminated at step 1: pole at 12.03°; return 1."));
    }

    [Test]
    public void FramesPrintOneFramePerStepIncludingTheStart()
    {
        var (code, stdout, _) = CliRun.Run(null, "cartpole", "--state", "0,0,0,0", "--actions", "1,0,1", "--frames");
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success));
        Assert.That(stdout.Split('\n').Count(l => l.StartsWith("step ", StringComparison.Ordinal)), Is.EqualTo(4));
        Assert.That(stdout, Does.Contain("stopped after the last action at step 3"));
    }

    [Test]
    public void SvgWritesAWellFormedAnimationOfTheEpisode()
    {
        string path = Path.Combine(_tempDir, "episode.svg");
        var (code, stdout, stderr) = CliRun.Run(null, "cartpole", "--state", "0,0,0.2,0.5", "--actions", "0,0,0", "--svg", path);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout, Does.Contain("wrote " + path));
        var svg = XDocument.Load(path);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.That(svg.Root!.Name, Is.EqualTo(ns + "svg"));
        var counters = svg.Descendants(ns + "text").Select(t => t.Nodes().OfType<XText>().FirstOrDefault()?.Value)
            .Where(v => v != null && v.StartsWith("step ", StringComparison.Ordinal)).ToArray();
        Assert.That(counters, Is.EqualTo(new[] { "step 0", "step 1" }), "the start state and the one step taken");
        Assert.That(Directory.GetFiles(_tempDir), Is.EqualTo(new[] { path }), "no temporary file left behind");
    }

    [Test]
    public void SvgIntoAMissingFolderFailsWithExitOne()
    {
        string path = Path.Combine(_tempDir, "no-such-folder", "episode.svg");
        var (code, _, stderr) = CliRun.Run(null, "cartpole", "--state", "0,0,0,0", "--actions", "1", "--svg", path);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        Assert.That(stderr, Does.StartWith("scratchrl: error: cannot write the SVG"));
    }

    [Test]
    public void NegativeValuesAreAttachedToTheOptionBeforeThem()
    {
        string[] args = ["cartpole", "--state", "-.5,0,0,0", "--actions", "1", "--json", "--seed", "-x"];
        Assert.That(ScratchRlApp.AttachNegativeValues(args),
            Is.EqualTo(new[] { "cartpole", "--state=-.5,0,0,0", "--actions", "1", "--json", "--seed", "-x" }));
    }

    private static void AssertStepMatches(JsonElement got, JsonElement expected, string what)
    {
        var obs = got.GetProperty("obs");
        var exp = expected.GetProperty("obs");
        Assert.That(obs.GetArrayLength(), Is.EqualTo(4), what);
        for (int k = 0; k < 4; k++)
        {
            float actual = float.Parse(obs[k].GetRawText(), CultureInfo.InvariantCulture);
            double e = exp[k].GetDouble();
            Assert.That(Math.Abs(actual - e), Is.LessThanOrEqualTo(1e-6 + 1e-6 * Math.Abs(e)), $"{what} obs[{k}]");
            Assert.That(actual, Is.EqualTo((float)e), $"{what} obs[{k}] is the same float32 as Gymnasium's");
        }
        Assert.That(got.GetProperty("reward").GetRawText(), Is.EqualTo(expected.GetProperty("reward").GetDouble() == 1.0 ? "1.0" : "0.0"), what);
        Assert.That(got.GetProperty("terminated").GetBoolean(), Is.EqualTo(expected.GetProperty("terminated").GetBoolean()), what);
        Assert.That(got.GetProperty("truncated").GetBoolean(), Is.EqualTo(expected.GetProperty("truncated").GetBoolean()), what);
    }

    private static JsonElement[] ParseLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

    private static void AssertUsageError(int code, string stdout, string stderr, string message)
    {
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError), stderr);
        Assert.That(stdout, Is.Empty, "nothing printed before the error");
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
        Assert.That(stderr, Does.StartWith("scratchrl: error: ").And.Contain(message));
    }
}
