namespace Training.Schedules;

/// <summary>
/// A value that moves linearly from <see cref="Start"/> to <see cref="End"/> over the first <see cref="Duration"/>
/// steps and then stays at <see cref="End"/>: CleanRL's <c>linear_schedule</c> and SB3's <c>get_linear_fn</c>.
/// Used for ε-greedy exploration (1 → 0.05 over exploration_fraction × total_timesteps) and for the prioritized
/// replay exponent β (β₀ → 1 over the whole run).
/// </summary>
public sealed class LinearSchedule
{
    /// <summary>A schedule from <paramref name="start"/> to <paramref name="end"/> over <paramref name="duration"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When start or end is not finite, or duration is negative or not finite.</exception>
    public LinearSchedule(double start, double end, double duration)
    {
        if (!double.IsFinite(start))
            throw new ArgumentOutOfRangeException(nameof(start), start, "Schedule start must be finite.");
        if (!double.IsFinite(end))
            throw new ArgumentOutOfRangeException(nameof(end), end, "Schedule end must be finite.");
        if (!(duration >= 0) || double.IsInfinity(duration))
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "Schedule duration must be finite and ≥ 0 steps.");
        Start = start;
        End = end;
        Duration = duration;
    }

    /// <summary>The value at step 0.</summary>
    public double Start { get; }

    /// <summary>The value from step <see cref="Duration"/> on.</summary>
    public double End { get; }

    /// <summary>Steps to go from start to end (may be fractional, as exploration_fraction × total_timesteps is).</summary>
    public double Duration { get; }

    /// <summary>ε schedule as in CleanRL: from start_e to end_e over exploration_fraction × total_timesteps steps.</summary>
    public static LinearSchedule Exploration(double startE, double endE, double explorationFraction, long totalTimesteps) =>
        new(startE, endE, explorationFraction * totalTimesteps);

    /// <summary>Prioritized replay's β: from β₀ at step 0 to 1 at the last step (Schaul et al. 2016, §3.4).</summary>
    public static LinearSchedule BetaAnnealing(double beta0, long totalTimesteps) => new(beta0, 1.0, totalTimesteps);

    /// <summary>The value at global step <paramref name="step"/> (0-based): start + (end − start) · min(1, step / duration).</summary>
    public double ValueAt(long step)
    {
        if (step < 0)
            throw new ArgumentOutOfRangeException(nameof(step), step, "Step must be ≥ 0.");
        if (step >= Duration)
            return End;
        double fraction = step / Duration;
        return Start + (End - Start) * fraction;
    }
}
