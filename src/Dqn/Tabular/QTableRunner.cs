using System.Diagnostics;
using CartPole;
using Training.Config;
using Training.Policies;
using Training.Reporting;
using Dqn.Tabular;
using Training.Runs;
using Dqn.Training;

namespace Dqn.Tabular;

/// <summary>
/// Tabular Q-learning (<see cref="QTableTrainer"/>) behind the same <see cref="ITrainer"/> face as DQN. The model is
/// the final table (tabular Q-learning keeps no best copy); cancellation ends the run unfinished, with the step count
/// of the last progress report, and such a run cannot be resumed (it takes about a second from scratch).
/// </summary>
public sealed class QTableRunner : ITrainer
{
    private readonly QTableTrainer _trainer;

    public QTableRunner(TrainConfig config, Func<IEnvironment> makeEnvironment)
    {
        _trainer = new QTableTrainer(config, makeEnvironment);
    }

    public TrainConfig Config => _trainer.Config;

    public MetricsLog Metrics => _trainer.Metrics;

    public IPolicy BestPolicy => _trainer.Policy;

    /// <summary>The table being learned.</summary>
    public QTable Table => _trainer.Table;

    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>();

    public long Step { get; private set; }

    public bool Finished { get; private set; }

    /// <summary>False: a tabular run is short and restarts from its seed.</summary>
    public bool CanResume => false;

    public void SaveCheckpoint(string path) =>
        throw new NotSupportedException("Tabular Q-learning runs write no checkpoint.");

    public TrainingOutcome Train(IProgress<TrainingProgress>? progress = null, ITrainingListener? listener = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        TrainingProgress? last = null;
        var relay = new Relay(progress, p => last = p);
        try
        {
            var summary = _trainer.Train(relay, cancellationToken);
            (Step, Finished) = (summary.Steps, true);
            return new TrainingOutcome
            {
                Finished = true,
                Steps = summary.Steps,
                Episodes = summary.Episodes,
                Updates = summary.Updates,
                SolvedAtStep = summary.SolvedAtStep,
                SolvedAtSeconds = SolvedAtSeconds(summary.SolvedAtStep),
                BestEvaluation = LastPeriodicEvaluation(),
                FinalEvaluation = summary.FinalEvaluation,
                Elapsed = summary.Elapsed,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Step = last?.Step ?? 0;
            return new TrainingOutcome
            {
                Finished = false,
                Steps = last?.Step ?? 0,
                Episodes = Metrics.Episodes.Count,
                Updates = last?.Updates ?? 0,
                SolvedAtStep = last?.SolvedAtStep,
                SolvedAtSeconds = SolvedAtSeconds(last?.SolvedAtStep),
                BestEvaluation = LastPeriodicEvaluation(),
                Elapsed = clock.Elapsed,
            };
        }
    }

    public void SaveModel(string path, bool best, IReadOnlyDictionary<string, string> metadata) =>
        ModelFile.SaveTable(path, _trainer.Table, Config.Tabular, metadata);

    private double? SolvedAtSeconds(long? step)
    {
        foreach (var v in Metrics.Evaluations)
        {
            if (!v.Final && v.Step == step)
                return v.TimeSeconds;
        }
        return null;
    }

    private EvaluationRecord? LastPeriodicEvaluation()
    {
        EvaluationRecord? last = null;
        foreach (var v in Metrics.Evaluations)
        {
            if (!v.Final)
                last = v;
        }
        return last;
    }

    /// <summary>Passes progress on and remembers the latest (the step count of a cancelled run).</summary>
    private sealed class Relay(IProgress<TrainingProgress>? inner, Action<TrainingProgress> remember) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            remember(value);
            inner?.Report(value);
        }
    }
}
