using System.Diagnostics;
using System.Text.RegularExpressions;
using ScratchRl.Cli;
using ScratchRl.Commands;
using Training.Config;

namespace ScratchRl.Tests;

/// <summary>
/// The config flags of <c>train</c> and <c>sweep</c>, made from <see cref="TrainConfigFields"/>: each sets its field
/// and survives config.json, each bad value is reported by the flag (or by the key and file when a config file gave
/// it), combinations that cannot run are refused before anything runs, and <c>--help</c> lists them all.
/// </summary>
public class TrainConfigFlagsTests : TempFolderTest
{
    private static IEnumerable<ConfigField> SharedFields => TrainConfigFields.All.Where(f => f.Flag is not null && !f.FlagOwnedByCommand);

    [Test]
    public void EveryPresetRebuiltFromFlagsAloneRoundTripsThroughConfigJson()
    {
        foreach (string name in Presets.Names)
        {
            var preset = Presets.Get(name);
            var settings = new TrainSettings { Preset = name == "fast" ? "zoo" : "fast" };
            settings.ConfigFlags = [.. SharedFields.Select(f => FlagFor(f, preset))];
            var (_, config) = settings.BuildConfig();
            var back = TrainConfigJson.Deserialize(TrainConfigJson.Serialize(config with { Seed = preset.Seed }));
            foreach (var field in TrainConfigFields.All)
                Assert.That(field.Text(back), Is.EqualTo(field.Text(preset)), $"{name}: {field.Key}");
        }
    }

    [Test]
    public void FlagsGoThroughTheCommandLineIntoTheRunsConfigJson()
    {
        // Every shared flag, on the real command line (negative lists included), for a qtable run short enough for a test.
        var expected = Presets.QTable with
        {
            Seed = 5, TotalTimesteps = 600, EvalFrequency = 300, EvalEpisodes = 2, FinalEvalEpisodes = 2, HeldoutEpisodes = 2,
            Gamma = 0.95, LearningRate = 0.25, HiddenSizes = [8, 4], MaxGradNorm = null, DoubleDqn = true, Dueling = true,
            CheckpointFrequency = 200, Prioritized = true, StopWhenSolved = false, HeldoutSeed = 3_000_000,
            Tabular = new TabularConfig { Bins = [1, 2, 3, 4], Low = [-1.5, -2, -0.2, -0.5], High = [1.5, 2, 0.2, 0.5], Alpha = 0.2 },
        };
        var flags = new List<string>();
        foreach (var (flag, text) in SharedFields.Select(f => FlagFor(f, expected)))
        {
            flags.Add(flag);
            if (text is not null)
                flags.Add(text);
        }
        var (code, _, stderr) = CliRun.Run(null, ["train", .. flags, "--seed", "5", "--out", Folder, "--quiet"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var written = TrainConfigJson.Load(Path.Combine(Folder, "config.json"));
        foreach (var field in TrainConfigFields.All)
            Assert.That(field.Text(written), Is.EqualTo(field.Text(expected)), field.Key);
    }

    [Test]
    public void EveryFlagRefusesTextThatIsNotItsKindOfValue()
    {
        foreach (var field in SharedFields.Where(f => !f.IsSwitch))
        {
            var e = Assert.Throws<UsageException>(() => Build(null, (field.Flag!, "abc")))!;
            Assert.That(e.Message, Does.StartWith($"{field.Flag} must be ").And.EndWith(", got 'abc'."), field.Key);
        }
        Assert.That(() => Build(null, ("--double", "yes")), Throws.InstanceOf<UsageException>().With.Message.EqualTo("--double takes no value, got 'yes'."));
        Assert.That(() => Build(null, ("--lr", null)), Throws.InstanceOf<UsageException>().With.Message.EqualTo("--lr needs a value (X)."));
        Assert.That(() => Build(null, ("--lr", "1"), ("--lr", "2")), Throws.InstanceOf<UsageException>().With.Message.EqualTo("--lr is given twice."));
        Assert.That(() => Build(null, ("--stop", null), ("--no-stop", null)),
            Throws.InstanceOf<UsageException>().With.Message.EqualTo("--stop and --no-stop both set stop_when_solved; give one."));
        Assert.That(() => Build(null, ("--seed", "3")), Throws.InstanceOf<UsageException>().With.Message.EqualTo("unknown option '--seed'; see --help."),
            "seed is each command's own flag");
    }

    [Test]
    public void EveryOutOfRangeFlagIsNamedWithTheValuesItTakes()
    {
        int tested = 0;
        foreach (var field in SharedFields.Where(f => !f.IsSwitch && f.Valid.Length > 0))
        {
            (string, string?)[] context = field.Scope switch
            {
                FieldScope.PrioritizedDqn => [("--per", null)],
                FieldScope.QTable => [("--algo", "qtable")],
                FieldScope.Ppo or FieldScope.PolicyGradient => [("--algo", "ppo")],
                _ => [],
            };
            var message = new[] { "-1", "0", "1.5", "-0.5" }
                .Select(text => Message(() => Build(null, [.. context, (field.Flag!, text)])))
                .FirstOrDefault(m => m is not null && Regex.IsMatch(m, $@"(^|; ){Regex.Escape(field.Flag!)}(\[\d+\])? must be "));
            if (field.Key is "solve_threshold" or "eval_seed" or "heldout_seed" or "tabular.low" or "tabular.high")
                continue; // every number spelt is in range (or only a relation to another field can fail)
            Assert.That(message, Is.Not.Null, field.Key);
            Assert.That(message, Does.Contain(" must be "), field.Key);
            tested++;
        }
        Assert.That(tested, Is.GreaterThanOrEqualTo(25));
    }

    [Test]
    public void AValueFromAConfigFileIsNamedByItsKeyAndTheFile()
    {
        Directory.CreateDirectory(Folder);
        string file = Path.Combine(Folder, "config.json");
        File.WriteAllText(file, """{ "gamma": 1.5, "buffer_size": 100 }""");
        Assert.That(() => Build(file), Throws.InstanceOf<UsageException>().With.Message.EqualTo($"{file}: gamma must be in [0, 1], got 1.5."));
        Assert.That(() => Build(file, ("--gamma", "0.9"), ("--batch-size", "256")),
            Throws.InstanceOf<UsageException>().With.Message.EqualTo("--batch-size (256) must be ≤ buffer_size (100)."));
        Assert.That(Build(file, ("--gamma", "0.9")).Gamma, Is.EqualTo(0.9), "flags apply before validation");
        File.WriteAllText(file, """{ "gama": 0.9 }""");
        Assert.That(() => Build(file), Throws.InstanceOf<UsageException>().With.Message.EqualTo($"{file}: unknown field 'gama' (docs/PRESETS.md lists the fields)."));
    }

    [TestCase(new[] { "--learning-starts", "0" }, "--learning-starts (0) must be ≥ n_step − 1 = 2")]
    [TestCase(new[] { "--learning-starts", "1" }, "--learning-starts (1) must be ≥ n_step − 1 = 2")]
    [TestCase(new[] { "--preset", "seed", "--n-step", "2" }, "learning_starts (0) must be ≥ --n-step − 1 = 1")]
    [TestCase(new[] { "--heldout-seed", "1000050" }, "--heldout-seed must keep the held-out reset seeds [1000050, 1000150) apart from the evaluation's [1000000, 1000100)")]
    [TestCase(new[] { "--seed", "2000001" }, "--heldout-seed must keep the held-out reset seeds [2000000, 2000100) apart from the training --seed 2000001")]
    [TestCase(new[] { "--checkpoint-every", "0" }, "--checkpoint-every must be ≥ 1, got 0.")]
    public void CombinationsThatCannotRunAreRefusedBeforeAnythingRuns(string[] flags, string message)
    {
        var (code, stdout, stderr) = CliRun.Run(null, ["train", .. flags, "--out", Folder]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError), stderr);
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, message);
        Assert.That(Directory.Exists(Folder), Is.False, "nothing is written");
    }

    [TestCase("fast", "2", "3")]
    [TestCase("seed", "1", "2")]
    public void TheSmallestLearningStartsAllowedTrainsFromTheFirstStoredTransition(string preset, string learningStarts, string nStep)
    {
        var (code, _, stderr) = CliRun.Run(null,
        [
            "train", "--preset", preset, "--learning-starts", learningStarts, "--n-step", nStep, "--hidden", "8", "--total-steps", "300",
            "--eval-frequency", "300", "--eval-episodes", "1", "--final-eval-episodes", "1", "--heldout-episodes", "1", "--out", Folder, "--quiet",
        ]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
    }

    [Test]
    public void OtherCommandsStillRefuseUnknownOptions()
    {
        var (code, stdout, stderr) = CliRun.Run(null, ["eval", "--model", "x.safetensors", "--lr", "0.1"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, "unknown option '--lr'");
        (code, stdout, stderr) = CliRun.Run(null, ["train", "--no-such-flag", "1", "--out", Folder]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, "unknown option '--no-such-flag'");
    }

    [TestCase("train")]
    [TestCase("sweep")]
    public void HelpListsEveryConfigFlagWithItsDocAndDefault(string verb)
    {
        // Spectre writes help to a console of its own, out of reach of Console.SetOut: run the real program, piped.
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "scratchrl.dll"), verb, "--help"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stderr, Is.Empty);
        // Compared without white space: the help wraps each row's text to the console's width.
        string text = Squash(stdout);
        var fast = Presets.Get("fast");
        foreach (var field in SharedFields)
        {
            string flag = field.IsSwitch ? $"{field.Flag}, {field.NegatedFlag}" : $"{field.Flag} <{field.Placeholder}>";
            Assert.That(text, Does.Contain(Squash($"{flag} {field.Doc} [{field.Key} = {field.Show(fast)}")), field.Key);
        }
        Assert.That(text, Does.Contain(Squash("[gamma = 0.99; in [0, 1]]")));
    }

    private static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static (string Flag, string? Text) FlagFor(ConfigField field, TrainConfig config) =>
        field.IsSwitch
            ? (field.Text(config) == "true" ? field.Flag! : field.NegatedFlag!, null)
            : (field.Flag!, field.Text(config));

    private static TrainConfig Build(string? configFile, params (string Flag, string? Text)[] flags)
    {
        var settings = new TrainSettings { ConfigFile = configFile };
        settings.ConfigFlags = flags;
        return settings.BuildConfig().Config;
    }

    private static string? Message(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (UsageException e)
        {
            return e.Message;
        }
    }
}
