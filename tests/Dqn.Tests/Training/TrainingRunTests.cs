using Training.Evaluation;
using Dqn;
using Training.Config;
using Training.Reporting;
using Dqn.Training;
using Training.Runs;

namespace Dqn.Tests.Training;

public class TrainingRunTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), "scratchrl-run-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Cancels its token once a report reaches the given step (reports arrive on the training thread).</summary>
    private sealed class CancelAt(long step, CancellationTokenSource source) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= step)
                source.Cancel();
        }
    }

    [Test]
    public void AFinishedRunWritesEveryFile()
    {
        var run = TrainingRun.Create(DqnTrainers.Instance, TrainerFixtures.Small(), _folder, "small");
        var result = run.Run();
        Assert.That(result.Outcome.Finished, Is.True);
        foreach (string file in new[] { "model.safetensors", "last.safetensors", "checkpoint.safetensors", "config.json", "metrics.csv", "curve.svg", "report.html", "summary.json" })
            Assert.That(File.Exists(Path.Combine(_folder, file)), Is.True, file);
        Assert.That(TrainConfigJson.Load(Path.Combine(_folder, "config.json")), Is.EqualTo(TrainerFixtures.Small()).Using<TrainConfig>(
            (a, b) => TrainConfigJson.Serialize(a) == TrainConfigJson.Serialize(b)), "the exact config");
        var metrics = MetricsLog.ReadCsv(Path.Combine(_folder, "metrics.csv"));
        Assert.That(metrics.Evaluations[^1].Final, Is.True);
        Assert.That(metrics.Evaluations[^1].Episodes, Is.EqualTo(3));
        string report = File.ReadAllText(Path.Combine(_folder, "report.html"));
        Assert.That(report, Does.Contain("<svg").And.Contain("Best policy, evaluation seed 1000000").And.Contain("learning_rate"));
        var model = ModelFile.Load(result.ModelPath);
        Assert.That(model.Metadata["preset"], Is.EqualTo("small"));
        Assert.That(model.Metadata["seed"], Is.EqualTo("7"));
        var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "summary.json"))).RootElement;
        Assert.That(summary.GetProperty("env_steps").GetInt64(), Is.EqualTo(1_500));
        Assert.That(() => TrainingRun.Resume(DqnTrainers.Instance, _folder), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("already finished at step 1500"));
    }

    [Test]
    public void ACancelledRunSavesWhatItHasAndResumesToTheSameEnd()
    {
        var config = TrainerFixtures.Small();
        var whole = TrainerFixtures.CartPoleTrainer(config);
        whole.Train();

        using var cancel = new CancellationTokenSource();
        var run = TrainingRun.Create(DqnTrainers.Instance, config, _folder, "small");
        var stopped = run.Run(new CancelAt(500, cancel), cancel.Token);
        Assert.That(stopped.Outcome.Finished, Is.False);
        Assert.That(stopped.Outcome.Steps, Is.InRange(1, 1_499));
        Assert.That(stopped.Outcome.FinalEvaluation, Is.Null);
        Assert.That(File.ReadAllText(stopped.ReportPath), Does.Contain("Training has not finished"));
        Assert.That(File.Exists(stopped.ModelPath), Is.True);

        var resumed = TrainingRun.Resume(DqnTrainers.Instance, _folder);
        Assert.That(resumed.Preset, Is.EqualTo("small"));
        var result = resumed.Run();
        Assert.That(result.Outcome.Finished, Is.True);
        Assert.That(result.Resumed, Is.True);
        Assert.That(TrainerFixtures.Bits(((DqnTrainer)resumed.Trainer).QNetwork), Is.EqualTo(TrainerFixtures.Bits(whole.QNetwork)));
        Assert.That(TrainerFixtures.Bits(ModelFile.Load(result.ModelPath).Network!), Is.EqualTo(TrainerFixtures.Bits(whole.BestNetwork)));
    }

    [Test]
    public void TabularQLearningRunsThroughTheSameFolderAndModelFile()
    {
        var config = Presets.QTable with { Seed = 2, TotalTimesteps = 3_000, EvalFrequency = 1_000, FinalEvalEpisodes = 5 };
        var result = TrainingRun.Create(DqnTrainers.Instance, config, _folder, "qtable").Run();
        Assert.That(result.Outcome.Finished, Is.True);
        Assert.That(result.CheckpointPath, Is.EqualTo(Path.Combine(_folder, "checkpoint.safetensors")));
        Assert.That(File.Exists(result.CheckpointPath), Is.True);
        var model = ModelFile.Load(result.ModelPath);
        Assert.That(model.Algorithm, Is.EqualTo(Algorithm.QTable));
        // The saved table plays exactly like the trained one: the final evaluation is repeated.
        var again = new Evaluator(TrainerFixtures.CartPole(config), config.EvalSeed).Evaluate(model.Policy, 5);
        Assert.That(again.Returns, Is.EqualTo(result.Outcome.FinalEvaluation!.Returns));
        Assert.That(() => TrainingRun.Resume(DqnTrainers.Instance, _folder), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("already finished at step"));
    }

    [Test]
    public void TheJsonSummaryHasTheDocumentedFields()
    {
        var result = TrainingRun.Create(DqnTrainers.Instance, TrainerFixtures.Small() with { TotalTimesteps = 600 }, _folder, "small").Run();
        var json = result.ToJson();
        Assert.That(json["solved"]!.GetValue<bool>(), Is.False, "600 random-ish steps do not balance a pole");
        Assert.That(json["solved_at_step"], Is.Null);
        Assert.That(json["env_steps"]!.GetValue<long>(), Is.EqualTo(600));
        Assert.That(json["updates"]!.GetValue<long>(), Is.EqualTo(500), "one per step after the first 100");
        Assert.That(json["eval_episodes"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(json["eval_mean_return"]!.GetValue<double>(), Is.EqualTo(result.Outcome.FinalEvaluation!.Mean));
        Assert.That(json["wall_seconds"]!.GetValue<double>(), Is.GreaterThan(0));
        Assert.That(json["model"]!.GetValue<string>(), Is.EqualTo(Path.Combine(_folder, "model.safetensors")));
        Assert.That(json["time"]!["updates_seconds"]!.GetValue<double>(), Is.GreaterThan(0));
    }
}
