using Training.Runs;
using Training.Config;
using Training.Reporting;
using Dqn.Tabular;
using Dqn.Tests.Fakes;

namespace Dqn.Tests.Tabular;

public class QTableTrainerTests
{
    private const int ChainLength = 6;

    private static TrainConfig ChainConfig(double alpha, long steps) => new()
    {
        Algorithm = Algorithm.QTable,
        Seed = 3,
        TotalTimesteps = steps,
        Gamma = 0.9,
        StartE = 1,
        EndE = 1, // behave at random: Q-learning is off-policy and still learns Q*
        ExplorationFraction = 0,
        EvalFrequency = steps,
        EvalEpisodes = 1,
        FinalEvalEpisodes = 2,
        SolveThreshold = 1,
        StopWhenSolved = false,
        Tabular = new TabularConfig { Bins = [ChainLength], Low = [-0.5], High = [ChainLength - 0.5], Alpha = alpha },
    };

    private static void AssertOptimalChainValues(QTable table, double gamma, double tolerance)
    {
        for (int s = 0; s < ChainLength - 1; s++)
        {
            for (int a = 0; a < 2; a++)
                Assert.That(table[s, a], Is.EqualTo(ChainEnv.OptimalQ(ChainLength, gamma, s, a)).Within(tolerance), $"Q({s}, {a})");
        }
    }

    [Test]
    public void LearnsTheExactOptimalValuesOfADeterministicChain()
    {
        // With α = 1 each update is an exact Bellman backup on a deterministic MDP, so the table reaches Q* itself.
        var trainer = new QTableTrainer(ChainConfig(alpha: 1, steps: 20_000), () => new ChainEnv(ChainLength, maxSteps: 50));
        var summary = trainer.Train();
        AssertOptimalChainValues(trainer.Table, 0.9, 1e-6);
        Assert.That(summary.FinalEvaluation!.Mean, Is.EqualTo(1), "the greedy policy walks straight to the goal");
        Assert.That(summary.FinalEvaluation.Lengths, Is.All.EqualTo(ChainLength - 1));
    }

    [Test]
    public void ConvergesWithASmallerStepSize()
    {
        var trainer = new QTableTrainer(ChainConfig(alpha: 0.5, steps: 20_000), () => new ChainEnv(ChainLength, maxSteps: 50));
        trainer.Train();
        AssertOptimalChainValues(trainer.Table, 0.9, 1e-4);
    }

    [TestCase(1)]
    [TestCase(3)]
    public void TruncationStillBootstraps(int limit)
    {
        // A reward-1 self-loop cut by a time limit: Q = 1/(1 − γ) = 10, where treating the cut as terminal would give ≈ 1.
        var config = ChainConfig(alpha: 0.5, steps: 3_000) with
        {
            Tabular = new TabularConfig { Bins = [1], Low = [-1], High = [1], Alpha = 0.5 },
            SolveThreshold = 1_000,
        };
        var trainer = new QTableTrainer(config, () => new TimeLimitLoopEnv(limit));
        trainer.Train();
        Assert.That(trainer.Table[0, 0], Is.EqualTo(10).Within(1e-3));
        Assert.That(trainer.Table[0, 1], Is.EqualTo(10).Within(1e-3));
    }

    [Test]
    public void ASeededRunIsDeterministic()
    {
        var config = ChainConfig(alpha: 0.3, steps: 5_000) with { EndE = 0.1, ExplorationFraction = 0.5, EvalFrequency = 1000 };
        static string Run(TrainConfig c)
        {
            var trainer = new QTableTrainer(c, () => new ChainEnv(ChainLength, maxSteps: 30));
            trainer.Train();
            var episodes = trainer.Metrics.Episodes.Select(e => e with { TimeSeconds = 0 });
            return string.Join(";", episodes) + "|" + string.Join(",", trainer.Table.Values.ToArray());
        }
        string first = Run(config), second = Run(config);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(Run(config with { Seed = 4 }), Is.Not.EqualTo(first));
    }

    [Test]
    public void EmitsEpisodeEvaluationAndFinalRows()
    {
        var config = ChainConfig(alpha: 0.5, steps: 3_000) with { EndE = 0.2, ExplorationFraction = 0.5, EvalFrequency = 1_000 };
        var trainer = new QTableTrainer(config, () => new ChainEnv(ChainLength, maxSteps: 40));
        var reports = new List<TrainingProgress>();
        var summary = trainer.Train(new SynchronousProgress(reports.Add));

        var episodes = trainer.Metrics.Episodes;
        Assert.That(episodes, Has.Count.EqualTo(summary.Episodes));
        Assert.That(episodes.Select(e => e.Episode), Is.EqualTo(Enumerable.Range(1, summary.Episodes)));
        Assert.That(episodes.Select(e => e.Step), Is.Ordered.Ascending);
        Assert.That(episodes.All(e => e.Length is >= ChainLength - 1 and <= 40), Is.True);
        Assert.That(episodes.All(e => e.Return is 0 or 1), Is.True);
        Assert.That(episodes.Select(e => e.Length).Sum(), Is.LessThanOrEqualTo(3_000));
        Assert.That(episodes.Last().Epsilon, Is.EqualTo(0.2).Within(1e-12), "ε decayed over the first 1,500 steps");

        var evaluations = trainer.Metrics.Evaluations;
        Assert.That(evaluations.Select(v => v.Step), Is.EqualTo(new long[] { 1000, 2000, 3000, 3000 }));
        Assert.That(evaluations.Select(v => v.Final), Is.EqualTo(new[] { false, false, false, true }));
        Assert.That(evaluations[^1].Episodes, Is.EqualTo(2));

        Assert.That(reports, Is.Not.Empty);
        Assert.That(reports.Select(r => r.Step), Is.Ordered.Ascending);
        Assert.That(reports[^1].Step, Is.EqualTo(summary.Steps));
        Assert.That(reports[^1].Episodes, Is.EqualTo(summary.Episodes));
    }

    [Test]
    public void StopsAtTheFirstEvaluationThatSolves()
    {
        var config = ChainConfig(alpha: 1, steps: 100_000) with { EvalFrequency = 500, StopWhenSolved = true };
        var trainer = new QTableTrainer(config, () => new ChainEnv(ChainLength, maxSteps: 50));
        var summary = trainer.Train();
        Assert.That(summary.SolvedAtStep, Is.Not.Null);
        Assert.That(summary.Steps, Is.EqualTo(summary.SolvedAtStep));
        Assert.That(summary.Steps % 500, Is.Zero);
        Assert.That(summary.Steps, Is.LessThan(100_000));
        var periodic = trainer.Metrics.Evaluations.Where(v => !v.Final).ToList();
        Assert.That(periodic[^1].Mean, Is.GreaterThanOrEqualTo(1));
        Assert.That(periodic.Take(periodic.Count - 1).Select(v => v.Mean), Is.All.LessThan(1.0));
    }

    [Test]
    public void ConfigThatDoesNotFitTheEnvironmentIsRejected()
    {
        var config = ChainConfig(alpha: 1, steps: 10) with
        {
            Tabular = new TabularConfig { Bins = [2, 2], Low = [0, 0], High = [1, 1], Alpha = 1 },
        };
        Assert.That(() => new QTableTrainer(config, () => new ChainEnv(ChainLength, 10)),
            Throws.InstanceOf<ConfigException>().With.Message.Contains("2 entries").And.Message.Contains("1 components"));
        Assert.That(() => new QTableTrainer(new TrainConfig(), () => new ChainEnv(ChainLength, 10)),
            Throws.InstanceOf<ConfigException>().With.Message.Contains("qtable"));
    }

    [Test]
    public void CancellationStopsTraining()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var trainer = new QTableTrainer(ChainConfig(alpha: 1, steps: 1000), () => new ChainEnv(ChainLength, 50));
        var outcome = trainer.Train(cancellationToken: cancel.Token);
        Assert.That(outcome.Finished, Is.False);
        Assert.That(outcome.Steps, Is.Zero);
    }

    [TestCase(1)]
    [TestCase(337)]
    [TestCase(2_999)]
    public void AResumedRunEndsBitIdenticalToAnUninterruptedOne(int stopAtStep)
    {
        var config = ChainConfig(alpha: 0.5, steps: 3_000) with { StopWhenSolved = false, CheckpointFrequency = 1 };
        var whole = new QTableTrainer(config, () => new ChainEnv(ChainLength, maxSteps: 30));
        whole.Train();

        using var cancel = new CancellationTokenSource();
        var first = new QTableTrainer(config, () => new ChainEnv(ChainLength, maxSteps: 30));
        string path = Path.Combine(Path.GetTempPath(), $"qtable-{Guid.NewGuid():N}.safetensors");
        try
        {
            // The listener hears of every step (checkpoint_frequency 1) and stops the run mid-episode at stopAtStep.
            var outcome = first.Train(listener: new StopAt(stopAtStep, cancel), cancellationToken: cancel.Token);
            Assert.That(outcome.Finished, Is.False);
            Assert.That(outcome.Steps, Is.EqualTo(stopAtStep));
            first.CaptureCheckpoint().Write(path);
            var resumed = QTableTrainer.Resume(path, _ => new ChainEnv(ChainLength, maxSteps: 30));
            var rest = resumed.Train();
            Assert.That(rest.ResumedFromStep, Is.EqualTo(stopAtStep));
            Assert.That(resumed.Table.Values.ToArray(), Is.EqualTo(whole.Table.Values.ToArray()));
            Assert.That(resumed.Step, Is.EqualTo(whole.Step));
            Assert.That(resumed.Metrics.Episodes.Select(e => (e.Step, e.Return, e.Loss)), Is.EqualTo(whole.Metrics.Episodes.Select(e => (e.Step, e.Return, e.Loss))));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Cancels the run when the trainer reaches <c>step</c>.</summary>
    private sealed class StopAt(long step, CancellationTokenSource cancel) : ITrainingListener
    {
        public void NewBest(ITrainer trainer)
        {
        }

        public void CheckpointDue(ITrainer trainer)
        {
            if (trainer.Step == step)
                cancel.Cancel();
        }
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to a thread pool).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
