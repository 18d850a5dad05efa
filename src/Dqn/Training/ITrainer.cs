using Dqn.Config;
using Dqn.Policies;
using Dqn.Reporting;

namespace Dqn.Training;

/// <summary>
/// What the command line, the run folder and the reports need from a learner, whatever it is: DQN
/// (<see cref="DqnTrainer"/>) or tabular Q-learning (<see cref="QTableRunner"/>). Both train on the same environment
/// with the same ε schedule, log the same metrics, evaluate greedily on the same seeds and save a model that
/// <see cref="ModelFile.Load"/> reads back.
/// </summary>
public interface ITrainer
{
    TrainConfig Config { get; }

    /// <summary>Every episode and evaluation so far (including those before a resume).</summary>
    MetricsLog Metrics { get; }

    /// <summary>The policy model.safetensors holds: the best one by evaluation (the current one before any evaluation).</summary>
    IPolicy BestPolicy { get; }

    /// <summary>
    /// Trains until the step budget is spent (or the first solving evaluation, with stop_when_solved), then evaluates
    /// the best policy on final_eval_episodes episodes. Cancellation stops within one environment step or one burst of
    /// gradient steps and returns an unfinished outcome (no exception).
    /// </summary>
    TrainingOutcome Train(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Writes the best (<paramref name="best"/>) or the current policy as a model file, with extra metadata.</summary>
    void SaveModel(string path, bool best, IReadOnlyDictionary<string, string> metadata);
}
