namespace Training.Runs;

/// <summary>
/// What a trainer tells the run around it while it trains, so that a run stopped any way (even kill -9) loses at most
/// the work since the last checkpoint: <see cref="TrainingRun"/> writes model.safetensors at each new best evaluation
/// and checkpoint.safetensors when one is due.
/// </summary>
public interface ITrainingListener
{
    /// <summary>The best weights just changed (a better evaluation, or a confirmed solve).</summary>
    void NewBest(ITrainer trainer);

    /// <summary>checkpoint_frequency steps have passed since the last checkpoint: the trainer is at a point it can resume from.</summary>
    void CheckpointDue(ITrainer trainer);
}
