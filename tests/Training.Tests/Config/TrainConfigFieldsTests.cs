using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Training.Config;

namespace Training.Tests.Config;

/// <summary>
/// The declarations of <see cref="TrainConfigFields"/> against <see cref="TrainConfig"/> itself, found by reflection:
/// each property is declared exactly once, under the snake_case key of its name, and every value survives JSON; every
/// range and rule reports the field by the name it is given and says what is expected.
/// </summary>
public class TrainConfigFieldsTests
{
    /// <summary>Texts tried, in order, to find a value of a field different from the current one.</summary>
    private static readonly string[] OtherValues = ["7", "0.25", "true", "false", "3,5", "0.5,0.75", "sgd", "mse", "qtable", "none", "eval"];

    /// <summary>Texts tried to find a value outside a field's range.</summary>
    private static readonly string[] BadValues = ["-1", "0", "1.5", "-0.5"];

    [Test]
    public void EveryPropertyIsDeclaredOnceUnderTheSnakeCaseKeyOfItsName()
    {
        var properties = PropertyPaths();
        var declared = new Dictionary<string, string>();
        foreach (var field in TrainConfigFields.All)
        {
            var baseConfig = BaseFor(field);
            var changed = Other(field, baseConfig);
            var differ = properties.Where(p => !DeepEqual(Value(p, baseConfig), Value(p, changed))).ToList();
            Assert.That(differ, Has.Count.EqualTo(1), $"{field.Key} changes exactly one property");
            string path = differ[0];
            Assert.That(declared.ContainsKey(path), Is.False, $"{path} is declared twice ({declared.GetValueOrDefault(path)} and {field.Key})");
            declared[path] = field.Key;
            string key = string.Join(".", path.Split('.').Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));
            Assert.That(field.Key, Is.EqualTo(key), path);
        }
        Assert.That(declared.Keys, Is.EquivalentTo(properties), "every property is declared");
        Assert.That(TrainConfigFields.All.Select(f => f.Key), Is.Unique);
        Assert.That(TrainConfigFields.All.Where(f => f.Flag is not null).Select(f => f.Flag), Is.Unique);
    }

    [Test]
    public void EveryFieldsValueRoundTripsThroughJson()
    {
        foreach (var field in TrainConfigFields.All)
        {
            var config = Other(field, BaseFor(field));
            var back = TrainConfigJson.Parse(TrainConfigJson.Serialize(config));
            foreach (string path in PropertyPaths())
                Assert.That(DeepEqual(Value(path, back), Value(path, config)), Is.True, $"{field.Key}: {path}");
        }
        foreach (string name in Presets.Names)
        {
            var preset = Presets.Get(name);
            var back = TrainConfigJson.Deserialize(TrainConfigJson.Serialize(preset));
            foreach (string path in PropertyPaths())
                Assert.That(DeepEqual(Value(path, back), Value(path, preset)), Is.True, $"{name}: {path}");
        }
    }

    [Test]
    public void EveryFieldsTextParsesBackToItsValue()
    {
        foreach (var field in TrainConfigFields.All)
        {
            foreach (var config in Presets.Names.Select(Presets.Get).Append(Other(field, BaseFor(field))))
            {
                var back = field.Parse(new TrainConfig(), field.Text(config), field.Key);
                Assert.That(field.Text(back), Is.EqualTo(field.Text(config)), field.Key);
                Assert.That(field.Show(back), Is.EqualTo(field.Show(config)), field.Key);
            }
        }
    }

    [Test]
    public void EveryRangeNamesTheFieldTheExpectedValuesAndTheValueGot()
    {
        int checkedFields = 0;
        foreach (var field in TrainConfigFields.All)
        {
            var range = RangeOf(field);
            if (range is null || range == ValueRange.Finite)
                continue; // text and JSON cannot spell a non-finite number
            var baseConfig = BaseFor(field);
            var bad = BadValues.Select(text => TryParse(field, baseConfig, text)).OfType<TrainConfig>()
                .FirstOrDefault(c => c.Problems(ConfigNames.Keys).Any(p => p.Field == field));
            Assert.That(bad, Is.Not.Null, $"{field.Key}: some value is out of {range.Text}");
            checkedFields++;

            string message = bad!.Problems(ConfigNames.Flags).First(p => p.Field == field).Message;
            Assert.That(message, Does.Match($@"^{Regex.Escape(field.Flag!)}(\[\d+\])? must be {Regex.Escape(range.Text)}, got -?[\d.]+\.$"), field.Key);

            var fromJson = Assert.Throws<ConfigException>(() => TrainConfigJson.Deserialize(TrainConfigJson.Serialize(bad), "run/config.json"))!;
            Assert.That(fromJson.Problems, Has.Some.Match($@"^run/config\.json: {Regex.Escape(field.Key)}(\[\d+\])? must be {Regex.Escape(range.Text)}, got -?[\d.]+\.$"), field.Key);
        }
        Assert.That(checkedFields, Is.GreaterThanOrEqualTo(25));
    }

    [Test]
    public void JsonErrorsNameTheKeyAndTheKindExpected()
    {
        var e = Assert.Throws<ConfigException>(() => TrainConfigJson.Deserialize("""{ "gamma": "0.9", "tabular": { "bins": [1, "x"] }, "learning_rat": 1 }""", "c.json"))!;
        Assert.That(e.Problems, Is.EqualTo(new[]
        {
            "c.json: gamma must be a number, got \"0.9\".",
            "c.json: tabular.bins must be a list of whole numbers such as [128, 128], got [1, \"x\"].",
            "c.json: unknown field 'learning_rat' (docs/PRESETS.md lists the fields).",
        }));
        Assert.That(() => TrainConfigJson.Deserialize("""{ "max_grad_norm": null, "checkpoint_frequency": 5000 }""").MaxGradNorm, Is.Null);
        Assert.That(TrainConfigJson.Deserialize("""{ "checkpoint_frequency": 5000 }""").CheckpointFrequency, Is.EqualTo(5000));
        Assert.That(() => TrainConfigJson.Deserialize("""{ "optimizer": "Adam" }"""),
            Throws.InstanceOf<ConfigException>().With.Message.EqualTo("config: optimizer must be \"adam\" or \"sgd\", got \"Adam\"."));
    }

    [Test]
    public void RulesRelateFieldsAndNameEachAsGiven()
    {
        var flags = ConfigNames.Flags;
        Assert.That(Messages(new TrainConfig { BatchSize = 256, BufferSize = 100 }, flags), Is.EqualTo(new[] { "--batch-size (256) must be ≤ --buffer-size (100)." }));
        var mixed = new ConfigNames(f => f.Key == "n_step" ? "--n-step" : f.Key);
        Assert.That(Messages(Presets.Seed with { NStep = 2 }, mixed), Is.EqualTo(new[]
        {
            "learning_starts (0) must be ≥ --n-step − 1 = 1: a 2-step transition reaches the replay buffer 2 steps after it starts, and learning samples the buffer from step learning_starts + 1.",
        }));
        Assert.That(new TrainConfig { LearningStarts = 2 }.Problems(), Is.Empty, "n_step 3: learning may start at step 3");
        Assert.That(new TrainConfig { LearningStarts = 1 }.Problems(), Has.One.Contains("learning_starts (1) must be ≥ n_step − 1 = 2"));
        Assert.That((Presets.QTable with { LearningStarts = 0 }).Problems(), Is.Empty, "qtable has no replay");
        Assert.That(new TrainConfig { TotalTimesteps = 500, LearningStarts = 500 }.Problems(),
            Is.EqualTo(new[] { "learning_starts (500) must be < total_timesteps (500), or no gradient step ever happens." }));
    }

    [TestCase(2_000_000UL, 100, 1_000_000UL, 20, 100, 1UL, true)]
    [TestCase(1_000_099UL, 100, 1_000_000UL, 20, 100, 1UL, false)] // overlaps the last final-evaluation seed
    [TestCase(1_000_100UL, 100, 1_000_000UL, 20, 100, 1UL, true)]
    [TestCase(999_900UL, 100, 1_000_000UL, 20, 100, 1UL, true)] // ends just before eval_seed
    [TestCase(999_901UL, 100, 1_000_000UL, 20, 100, 1UL, false)]
    [TestCase(1_000_030UL, 10, 1_000_000UL, 40, 10, 1UL, false)] // the periodic evaluation is the longer one
    [TestCase(0UL, 100, 1_000_000UL, 20, 100, 99UL, false)] // holds the training seed
    [TestCase(0UL, 100, 1_000_000UL, 20, 100, 100UL, true)]
    [TestCase(ulong.MaxValue, 100, 1_000_000UL, 20, 100, 1UL, true)] // no overflow at the top
    public void HeldoutSeedsAreDisjointFromEvaluationAndTrainingSeeds(ulong heldout, int heldoutEpisodes, ulong eval, int evalEpisodes, int finalEpisodes, ulong seed, bool valid)
    {
        var c = new TrainConfig { HeldoutSeed = heldout, HeldoutEpisodes = heldoutEpisodes, EvalSeed = eval, EvalEpisodes = evalEpisodes, FinalEvalEpisodes = finalEpisodes, Seed = seed };
        // Independent check, seed by seed.
        bool overlap = false;
        for (ulong i = 0; i < (ulong)heldoutEpisodes && !overlap; i++)
        {
            if (heldout > ulong.MaxValue - i)
                break;
            ulong s = heldout + i;
            overlap = s == seed || (s >= eval && s - eval < (ulong)Math.Max(evalEpisodes, finalEpisodes));
        }
        Assert.That(overlap, Is.EqualTo(!valid), "the test case itself");
        var problems = c.Problems(ConfigNames.Flags);
        Assert.That(problems.Count == 0, Is.EqualTo(valid), string.Join("; ", problems.Select(p => p.Message)));
        if (!valid)
            Assert.That(problems[0].Message, Does.StartWith("--heldout-seed must keep the held-out reset seeds ["));
    }

    [Test]
    public void SwitchesHaveANegatedFlagAndOtherFieldsDoNot()
    {
        var switches = TrainConfigFields.All.Where(f => f.IsSwitch).Select(f => (f.Flag, f.NegatedFlag));
        Assert.That(switches, Is.EquivalentTo(new (string?, string?)[]
        {
            ("--double", "--no-double"), ("--dueling", "--no-dueling"), ("--per", "--no-per"), ("--stop", "--no-stop"),
            ("--anneal-lr", "--no-anneal-lr"), ("--norm-adv", "--no-norm-adv"), ("--clip-vloss", "--no-clip-vloss"),
            ("--bootstrap-truncation", "--no-bootstrap-truncation"),
        }));
        Assert.That(TrainConfigFields.Get("gamma").NegatedFlag, Is.Null);
    }

    private static string[] Messages(TrainConfig c, ConfigNames names) => c.Problems(names).Select(p => p.Message).ToArray();

    /// <summary>A config in which the field is read: prioritized replay on for its settings, the qtable preset for tabular ones, the ppo preset for policy-gradient ones.</summary>
    internal static TrainConfig BaseFor(ConfigField field) => field.Scope switch
    {
        FieldScope.PrioritizedDqn => new TrainConfig { Prioritized = true },
        FieldScope.QTable => Presets.QTable,
        FieldScope.Ppo or FieldScope.PolicyGradient => Presets.Ppo,
        _ => new TrainConfig(),
    };

    /// <summary><paramref name="config"/> with the field set to another valid-kind value than it holds.</summary>
    internal static TrainConfig Other(ConfigField field, TrainConfig config)
    {
        string before = field.Text(config);
        foreach (string text in OtherValues)
        {
            if (TryParse(field, config, text) is { } changed && field.Text(changed) != before)
                return changed;
        }
        throw new AssertionException($"no other value found for {field.Key}");
    }

    private static TrainConfig? TryParse(ConfigField field, TrainConfig config, string text)
    {
        try
        {
            return field.Parse(config, text, field.Key);
        }
        catch (ConfigException)
        {
            return null;
        }
    }

    private static ValueRange? RangeOf(ConfigField field) =>
        (ValueRange?)field.GetType().GetProperty(nameof(ConfigField<int>.Range))!.GetValue(field);

    /// <summary>"Gamma", "HiddenSizes", …, "Tabular.Bins", …, "Ppo.NumEnvs", …: every settable property of the config, the tabular and PPO ones nested.</summary>
    internal static List<string> PropertyPaths()
    {
        var paths = new List<string>();
        foreach (var p in typeof(TrainConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.PropertyType == typeof(TabularConfig) || p.PropertyType == typeof(PpoSettings))
                paths.AddRange(p.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(t => t.CanWrite).Select(t => $"{p.Name}.{t.Name}"));
            else
                paths.Add(p.Name);
        }
        return paths;
    }

    internal static object? Value(string path, object config)
    {
        object? value = config;
        foreach (string name in path.Split('.'))
            value = value!.GetType().GetProperty(name)!.GetValue(value);
        return value;
    }

    internal static bool DeepEqual(object? a, object? b) =>
        a is IEnumerable x && b is IEnumerable y && a is not string
            ? x.Cast<object>().SequenceEqual(y.Cast<object>())
            : Equals(a, b);
}
