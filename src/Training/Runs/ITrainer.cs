using TinyTorch.IO;
using Training.Config;
using Training.Policies;
using Training.Reporting;

namespace Training.Runs;

/// <summary>
/// What the command line, the run folder and the reports need from a learner, whatever it is (DQN, tabular
/// Q-learning, ...): every algorithm trains on the same environment, logs the same metrics, evaluates greedily on the
/// same seeds and saves a model file. <see cref="ITrainerFactory"/> makes one from a config.
/// </summary>
public interface ITrainer
{
    /// <summary>The validated config the trainer runs.</summary>
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
    TrainingOutcome Train(IProgress<TrainingProgress>? progress = null, ITrainingListener? listener = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The best (<paramref name="best"/>) or the current policy as a model file with extra metadata: a copy of the
    /// weights, to write (atomically, with <see cref="SafetensorsFile.Write"/>) now or later on any thread.
    /// </summary>
    SafetensorsFile CaptureModel(bool best, IReadOnlyDictionary<string, string> metadata);

    /// <summary>Writes the best (<paramref name="best"/>) or the current policy as a model file now (atomically): <c>CaptureModel(best, metadata).Write(path)</c>.</summary>
    void SaveModel(string path, bool best, IReadOnlyDictionary<string, string> metadata);

    /// <summary>Free-form labels of the run (such as its preset), saved in and restored from checkpoints.</summary>
    IDictionary<string, string> Labels { get; }

    /// <summary>Environment steps done.</summary>
    long Step { get; }

    /// <summary>True once <see cref="Train"/> has run to the end and done the final evaluation.</summary>
    bool Finished { get; }

    /// <summary>True when <see cref="CaptureCheckpoint"/> gives a file <see cref="ITrainerFactory.Resume"/> continues from.</summary>
    bool CanResume { get; }

    /// <summary>
    /// The whole training state as it is now, for <see cref="ITrainerFactory.Resume"/>: a copy that
    /// <see cref="CheckpointFile.Write"/> writes (atomically) later, on any thread, while training goes on. Call it
    /// between steps (from a listener) or after <see cref="Train"/>.
    /// </summary>
    CheckpointFile CaptureCheckpoint();
}
