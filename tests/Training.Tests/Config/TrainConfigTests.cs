using System.Text.Json;
using Training.Config;

namespace Training.Tests.Config;

public class TrainConfigTests
{
    [Test]
    public void EveryPresetIsValid()
    {
        foreach (string name in Presets.Names)
            Assert.That(Presets.Get(name).Problems(), Is.Empty, name);
    }

    [Test]
    public void TheDefaultIsTheFastPreset()
    {
        Assert.That(Presets.Default, Is.EqualTo("fast"));
        Assert.That(TrainConfigJson.Serialize(new TrainConfig()), Is.EqualTo(TrainConfigJson.Serialize(Presets.Get("FAST"))));
    }

    [Test]
    public void UnknownPresetListsTheKnownOnes()
    {
        Assert.That(() => Presets.Get("fastest"),
            Throws.ArgumentException.With.Message.Contains("'fastest'").And.Message.Contains("fast, zoo, cleanrl, seed, qtable"));
    }

    [Test]
    public void ZooPresetIsRlBaselines3ZooCartPoleOverSb3Defaults()
    {
        var c = Presets.Zoo;
        Assert.Multiple(() =>
        {
            Assert.That(c.TotalTimesteps, Is.EqualTo(50_000));
            Assert.That(c.LearningRate, Is.EqualTo(2.3e-3));
            Assert.That(c.BatchSize, Is.EqualTo(64));
            Assert.That(c.BufferSize, Is.EqualTo(100_000));
            Assert.That(c.LearningStarts, Is.EqualTo(1000));
            Assert.That(c.Gamma, Is.EqualTo(0.99));
            Assert.That(c.TargetNetworkFrequency, Is.EqualTo(10));
            Assert.That(c.TrainFrequency, Is.EqualTo(256));
            Assert.That(c.GradientSteps, Is.EqualTo(128));
            Assert.That(c.ExplorationFraction, Is.EqualTo(0.16));
            Assert.That(c.EndE, Is.EqualTo(0.04));
            Assert.That(c.HiddenSizes, Is.EqualTo(new[] { 256, 256 }));
            Assert.That(c.Tau, Is.EqualTo(1.0));
            Assert.That(c.StartE, Is.EqualTo(1.0));
            Assert.That(c.MaxGradNorm, Is.EqualTo(10));
            Assert.That(c.Loss, Is.EqualTo(LossKind.Huber));
            Assert.That(c.Optimizer, Is.EqualTo(OptimizerKind.Adam));
        });
    }

    [Test]
    public void CleanRlPresetIsDqnPyDefaults()
    {
        var c = Presets.CleanRl;
        Assert.Multiple(() =>
        {
            Assert.That(c.TotalTimesteps, Is.EqualTo(500_000));
            Assert.That(c.LearningRate, Is.EqualTo(2.5e-4));
            Assert.That(c.BufferSize, Is.EqualTo(10_000));
            Assert.That(c.Gamma, Is.EqualTo(0.99));
            Assert.That(c.Tau, Is.EqualTo(1.0));
            Assert.That(c.TargetNetworkFrequency, Is.EqualTo(500));
            Assert.That(c.BatchSize, Is.EqualTo(128));
            Assert.That(c.StartE, Is.EqualTo(1.0));
            Assert.That(c.EndE, Is.EqualTo(0.05));
            Assert.That(c.ExplorationFraction, Is.EqualTo(0.5));
            Assert.That(c.LearningStarts, Is.EqualTo(10_000));
            Assert.That(c.TrainFrequency, Is.EqualTo(10));
            Assert.That(c.HiddenSizes, Is.EqualTo(new[] { 120, 84 }));
            Assert.That(c.Loss, Is.EqualTo(LossKind.Mse));
            Assert.That(c.MaxGradNorm, Is.Null);
        });
    }

    [Test]
    public void SeedPresetIsOnlineGreedyWithoutReplayOrTarget()
    {
        var c = Presets.Seed;
        Assert.Multiple(() =>
        {
            Assert.That(c.BufferSize, Is.EqualTo(1), "replay holds only the latest transition");
            Assert.That(c.BatchSize, Is.EqualTo(1));
            Assert.That(c.LearningStarts, Is.Zero);
            Assert.That(c.TrainFrequency, Is.EqualTo(1));
            Assert.That(c.TargetNetworkFrequency, Is.EqualTo(1), "target copied after every update = online network");
            Assert.That(c.Tau, Is.EqualTo(1.0));
            Assert.That(c.StartE, Is.Zero);
            Assert.That(c.EndE, Is.Zero);
            Assert.That(c.LearningRate, Is.EqualTo(0.01));
            Assert.That(c.Loss, Is.EqualTo(LossKind.Mse));
            Assert.That(c.HiddenSizes, Is.EqualTo(new[] { 64 }));
        });
    }

    [Test]
    public void JsonUsesSnakeCaseNamesAndLowerCaseEnums()
    {
        string json = TrainConfigJson.Serialize(Presets.QTable with { Prioritized = true });
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string[] names =
        [
            "algorithm", "seed", "total_timesteps", "max_episode_steps", "hidden_sizes", "optimizer", "learning_rate", "loss",
            "max_grad_norm", "gamma", "double_dqn", "dueling", "n_step", "buffer_size", "batch_size", "learning_starts",
            "train_frequency", "gradient_steps", "prioritized", "prioritized_alpha", "prioritized_beta0", "prioritized_eps",
            "target_network_frequency", "tau", "start_e", "end_e", "exploration_fraction", "eval_frequency", "eval_episodes",
            "solve_threshold", "stop_when_solved", "final_eval_episodes", "eval_seed", "heldout_seed", "heldout_episodes",
            "checkpoint_frequency", "tabular", "ppo",
        ];
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(names));
        Assert.That(root.GetProperty("algorithm").GetString(), Is.EqualTo("qtable"));
        Assert.That(root.GetProperty("loss").GetString(), Is.EqualTo("huber"));
        Assert.That(root.GetProperty("optimizer").GetString(), Is.EqualTo("adam"));
        Assert.That(root.GetProperty("tabular").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "bins", "low", "high", "alpha" }));
    }

    [Test]
    public void HandWrittenJsonOverridesOnlyTheFieldsItNames()
    {
        const string json = """
            {
              "learning_rate": 0.0005,
              "hidden_sizes": [32, 16, 8],
              "loss": "mse",
              "double_dqn": true,
              "max_grad_norm": null,
              "tabular": { "bins": [2, 3], "low": [0, 0], "high": [1, 1], "alpha": 0.5 },
            }
            """;
        var c = TrainConfigJson.Deserialize(json);
        Assert.Multiple(() =>
        {
            Assert.That(c.LearningRate, Is.EqualTo(0.0005));
            Assert.That(c.HiddenSizes, Is.EqualTo(new[] { 32, 16, 8 }));
            Assert.That(c.Loss, Is.EqualTo(LossKind.Mse));
            Assert.That(c.DoubleDqn, Is.True);
            Assert.That(c.MaxGradNorm, Is.Null);
            Assert.That(c.Tabular.Bins, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(c.Tabular.Alpha, Is.EqualTo(0.5));
            Assert.That(c.Gamma, Is.EqualTo(0.99), "absent fields keep the fast preset's values");
            Assert.That(c.BatchSize, Is.EqualTo(64));
        });
    }

    [Test]
    public void JsonRoundTripsEveryPreset()
    {
        foreach (string name in Presets.Names)
        {
            var original = Presets.Get(name) with { Seed = 12345678901234567890UL, LearningRate = 0.1 + 0.2 };
            var back = TrainConfigJson.Deserialize(TrainConfigJson.Serialize(original));
            Assert.That(back.Seed, Is.EqualTo(original.Seed), name);
            Assert.That(back.LearningRate, Is.EqualTo(original.LearningRate), name);
            Assert.That(back.HiddenSizes, Is.EqualTo(original.HiddenSizes), name);
            Assert.That(back.Tabular.Low, Is.EqualTo(original.Tabular.Low), name);
            Assert.That(back with { HiddenSizes = original.HiddenSizes, Tabular = original.Tabular }, Is.EqualTo(original), name);
        }
    }

    [Test]
    public void UnknownFieldsAndBadValuesAreRejectedWithTheirNames()
    {
        Assert.That(() => TrainConfigJson.Deserialize("""{ "learning_rat": 0.1 }""", "run/config.json"),
            Throws.InstanceOf<ConfigException>().With.Message.Contains("run/config.json").And.Message.Contains("learning_rat"));
        Assert.That(() => TrainConfigJson.Deserialize("""{ "loss": "l1" }"""),
            Throws.InstanceOf<ConfigException>().With.Message.Contains("loss"));
        Assert.That(() => TrainConfigJson.Deserialize("""{ "batch_size": "64" }"""),
            Throws.InstanceOf<ConfigException>().With.Message.Contains("batch_size"));
        Assert.That(() => TrainConfigJson.Deserialize("null"), Throws.InstanceOf<ConfigException>());
    }

    [TestCase("learning_rate", -0.001, "learning_rate must be a finite number > 0, got -0.001.")]
    [TestCase("gamma", 1.5, "gamma must be in [0, 1], got 1.5.")]
    [TestCase("tau", 0.0, "tau must be in (0, 1], got 0.")]
    [TestCase("end_e", -0.1, "end_e must be in [0, 1], got -0.1.")]
    public void ValidationNamesTheFieldTheValueAndTheRange(string field, double value, string message)
    {
        var c = field switch
        {
            "learning_rate" => new TrainConfig { LearningRate = value },
            "gamma" => new TrainConfig { Gamma = value },
            "tau" => new TrainConfig { Tau = value },
            _ => new TrainConfig { EndE = value },
        };
        Assert.That(c.Problems(), Is.EqualTo(new[] { message }));
        Assert.That(() => c.Validate(), Throws.InstanceOf<ConfigException>().With.Message.EqualTo(message));
    }

    [Test]
    public void ValidationCatchesCountsAndRelations()
    {
        Assert.That(new TrainConfig { TotalTimesteps = 0 }.Problems(), Has.Some.Contains("total_timesteps must be ≥ 1, got 0"));
        Assert.That(new TrainConfig { BatchSize = 256, BufferSize = 100 }.Problems(), Is.EqualTo(new[] { "batch_size (256) must be ≤ buffer_size (100)." }));
        Assert.That(new TrainConfig { LearningStarts = 100_000 }.Problems(), Has.Some.Contains("learning_starts (100000) must be < total_timesteps (100000)"));
        Assert.That(new TrainConfig { HiddenSizes = [] }.Problems(), Has.Some.Contains("hidden_sizes"));
        Assert.That(new TrainConfig { HiddenSizes = [64, 0] }.Problems(), Has.Some.Contains("hidden_sizes[1] must be ≥ 1, got 0"));
        Assert.That(new TrainConfig { NStep = 0 }.Problems(), Has.Some.Contains("n_step"));
        Assert.That(new TrainConfig { Prioritized = true, PrioritizedBeta0 = 2 }.Problems(), Has.Some.Contains("prioritized_beta0"));
        Assert.That(new TrainConfig { MaxGradNorm = 0 }.Problems(), Has.Some.Contains("max_grad_norm"));

        var several = new TrainConfig { Gamma = -1, TrainFrequency = 0, EvalEpisodes = 0 };
        Assert.That(() => several.Validate(), Throws.InstanceOf<ConfigException>()
            .With.Message.StartsWith("3 config problems: ").And.Property(nameof(ConfigException.Problems)).Count.EqualTo(3));
    }

    [Test]
    public void TabularValidationChecksBinsAndRanges()
    {
        var qtable = Presets.QTable;
        Assert.That((qtable with { Tabular = new TabularConfig { Bins = [1, 2], Low = [0], High = [1, 1] } }).Problems(),
            Is.EqualTo(new[] { "tabular.low must have one entry per tabular.bins entry (2), got 1." }));
        Assert.That((qtable with { Tabular = new TabularConfig { Bins = [0], Low = [1], High = [0] } }).Problems(),
            Is.EqualTo(new[] { "tabular.bins[0] must be ≥ 1, got 0.", "tabular.high[0] must be > tabular.low[0], got 0 ≤ 1." }));
        Assert.That((qtable with { Tabular = new TabularConfig { Alpha = 0 } }).Problems(), Has.Some.Contains("tabular.alpha"));
        Assert.That((qtable with { Tabular = new TabularConfig { Bins = [1000, 1000, 1000], Low = [0, 0, 0], High = [1, 1, 1] } }).Problems(),
            Has.Some.Contains("1000000000 states"));
        Assert.That((qtable with { BatchSize = 10_000_000, LearningRate = -1 }).Problems(), Is.Empty, "qtable ignores the network fields");
    }

    [Test]
    public void SaveWritesAtomicallyAndLoadReadsItBack()
    {
        string folder = Path.Combine(Path.GetTempPath(), "dqn-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(folder, "config.json");
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(folder).FullName, "config.json"), "old");
            var config = Presets.Zoo with { Seed = 7 };
            TrainConfigJson.Save(path, config);
            Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }), "no temporary file is left behind");
            var back = TrainConfigJson.Load(path);
            Assert.That(back.Seed, Is.EqualTo(7));
            Assert.That(back.TrainFrequency, Is.EqualTo(256));
            Assert.That(() => TrainConfigJson.Load(Path.Combine(folder, "missing.json")),
                Throws.InstanceOf<ConfigException>().With.Message.Contains("missing.json"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
