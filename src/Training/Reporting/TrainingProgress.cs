namespace Training.Reporting;

/// <summary>
/// A snapshot of a training run for a live display, sent through <see cref="IProgress{T}"/> every so many steps and
/// after each evaluation. Optional values are null until they exist (no episode finished, no evaluation yet, no update).
/// Rates are measured over the interval since the previous snapshot.
/// </summary>
public sealed record TrainingProgress
{
    /// <summary>Environment steps done.</summary>
    public required long Step { get; init; }

    /// <summary>The run's step budget.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>Episodes finished.</summary>
    public required int Episodes { get; init; }

    /// <summary>Mean return of the last <see cref="RecentWindow"/> finished episodes.</summary>
    public double? RecentReturn { get; init; }

    /// <summary>Episodes in <see cref="RecentReturn"/>'s mean.</summary>
    public int RecentWindow { get; init; } = 20;

    /// <summary>ε of ε-greedy exploration at this step; null for a learner that samples from its policy (PPO, REINFORCE).</summary>
    public double? Epsilon { get; init; }

    /// <summary>Mean loss of the updates since the previous snapshot.</summary>
    public double? Loss { get; init; }

    /// <summary>Gradient (or table) updates done.</summary>
    public long Updates { get; init; }

    /// <summary>The latest evaluation; null before the first.</summary>
    public EvaluationRecord? LastEvaluation { get; init; }

    /// <summary>The step of the first evaluation that reached the solve threshold.</summary>
    public long? SolvedAtStep { get; init; }

    /// <summary>Environment steps per second since the previous snapshot.</summary>
    public double EnvStepsPerSecond { get; init; }

    /// <summary>Updates per second since the previous snapshot.</summary>
    public double UpdatesPerSecond { get; init; }

    /// <summary>Wall time since training started.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Step / TotalSteps in [0, 1].</summary>
    public double Fraction => TotalSteps <= 0 ? 0 : Math.Clamp((double)Step / TotalSteps, 0, 1);
}
