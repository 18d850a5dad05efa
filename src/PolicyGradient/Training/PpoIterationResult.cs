using PolicyGradient.Update;

namespace PolicyGradient.Training;

/// <summary>
/// What one <see cref="PpoLearner.Iterate"/> did: its number (1-based), the learning rate it used, the environment steps
/// taken so far, the returns of the episodes that ended during its rollout, the statistics of its last minibatch update
/// and how many epochs ran (fewer than configured when <see cref="PpoConfig.TargetKl"/> stopped them).
/// </summary>
public sealed record PpoIterationResult(int Iteration, double LearningRate, long EnvSteps, float[] EpisodeReturns, PpoStats LastStats, int EpochsRun);
