namespace Dqn.Replay;

/// <summary>
/// A <see cref="PrioritizedReplayBuffer"/> as plain data for resuming: the transitions, the sum-tree leaves pᵢ^α of
/// the filled slots (slot order), and the running maximum priority given to new transitions.
/// </summary>
public sealed class PrioritizedReplayState
{
    public required ReplayBufferState Storage { get; init; }
    public required double[] Priorities { get; init; }
    public required double MaxPriority { get; init; }
}
