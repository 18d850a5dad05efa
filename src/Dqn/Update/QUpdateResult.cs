using TinyTorch;

namespace Dqn.Update;

/// <summary>
/// What <see cref="QUpdate.Step"/> returns: the loss L before the step, the new priorities |δᵢ| [B] of prioritized
/// replay and, when asked for, every intermediate value.
/// </summary>
public sealed record QUpdateResult(float Loss, Tensor Priorities, QUpdateExplanation? Explanation);
