namespace Training.Runs;

/// <summary>
/// Where a run's wall time went, measured by a <see cref="PhaseTimer"/> around each part of the training loop. <see cref="Other"/> is what the parts leave of <see cref="Total"/>: the loop itself,
/// bookkeeping, progress reports, checkpoints.
/// </summary>
public sealed record TimeBreakdown
{
    /// <summary>Choosing actions: the ε draw and the greedy forward pass.</summary>
    public TimeSpan Acting { get; init; }

    /// <summary>Environment steps and resets.</summary>
    public TimeSpan Environment { get; init; }

    /// <summary>Writing transitions into the replay buffer (through the n-step accumulator).</summary>
    public TimeSpan Storing { get; init; }

    /// <summary>Gradient steps: sampling a batch, the Q-update (forward, backward, clipping, optimizer), new priorities.</summary>
    public TimeSpan Updates { get; init; }

    /// <summary>Target network copies or Polyak averaging.</summary>
    public TimeSpan TargetUpdates { get; init; }

    /// <summary>Greedy evaluations, periodic and final.</summary>
    public TimeSpan Evaluation { get; init; }

    /// <summary>Writing checkpoints and the best model while training.</summary>
    public TimeSpan Checkpoints { get; init; }

    /// <summary>The whole of the training call.</summary>
    public TimeSpan Total { get; init; }

    /// <summary>Total minus the measured parts.</summary>
    public TimeSpan Other => Total - Acting - Environment - Storing - Updates - TargetUpdates - Evaluation - Checkpoints;
}
