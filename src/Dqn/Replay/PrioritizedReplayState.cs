namespace Dqn.Replay;

/// <summary>
/// A <see cref="PrioritizedReplayBuffer"/> as plain data for resuming: the transitions, the sum-tree leaves pᵢ^α of
/// the filled slots (slot order), and the running maximum priority given to new transitions.
/// </summary>
public sealed class PrioritizedReplayState
{
    /// <summary>The transitions.</summary>
    public required ReplayBufferState Storage { get; init; }
    /// <summary>pᵢ^α of each filled slot, in slot order; length <see cref="ReplayBufferState.Count"/>.</summary>
    public required double[] Priorities { get; init; }
    /// <summary>The largest priority pᵢ seen so far, the one a new transition gets.</summary>
    public required double MaxPriority { get; init; }
}
