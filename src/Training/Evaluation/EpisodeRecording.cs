namespace Training.Evaluation;

/// <summary>
/// One episode's observations and actions in preallocated arrays (for the episode animation): observation 0 is the
/// reset, observation t + 1 follows action t. Recording stops at <see cref="MaxSteps"/> steps (then
/// <see cref="IsComplete"/> is false); a new episode overwrites the previous one.
/// </summary>
public sealed class EpisodeRecording
{
    private readonly float[] _observations;
    private readonly int[] _actions;

    /// <summary>Room for <paramref name="maxSteps"/> steps of observations of length <paramref name="observationSize"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When either is below 1.</exception>
    public EpisodeRecording(int observationSize, int maxSteps)
    {
        if (observationSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "Observation size must be positive.");
        if (maxSteps <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "A recording needs room for at least one step.");
        ObservationSize = observationSize;
        MaxSteps = maxSteps;
        _observations = new float[checked((maxSteps + 1) * observationSize)];
        _actions = new int[maxSteps];
    }

    /// <summary>D, the length of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>The most steps recorded.</summary>
    public int MaxSteps { get; }

    /// <summary>Steps recorded (actions taken); <see cref="Observations"/> holds Length + 1 rows.</summary>
    public int Length { get; private set; }

    /// <summary>The seed the episode's environment was reset with.</summary>
    public ulong Seed { get; private set; }

    /// <summary>Sum of the episode's rewards (all steps, recorded or not).</summary>
    public double Return { get; private set; }

    /// <summary>False when the episode ran past <see cref="MaxSteps"/> and its tail was not recorded.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>True when the episode ended in a terminal state.</summary>
    public bool Terminated { get; private set; }

    /// <summary>True when the time limit ended the episode.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Row-major [(Length + 1) × ObservationSize].</summary>
    public ReadOnlySpan<float> Observations => _observations.AsSpan(0, (Length + 1) * ObservationSize);

    /// <summary>The recorded actions, [Length].</summary>
    public ReadOnlySpan<int> Actions => _actions.AsSpan(0, Length);

    /// <summary>Observation t (0 = after reset).</summary>
    public ReadOnlySpan<float> Observation(int t)
    {
        if ((uint)t > (uint)Length)
            throw new ArgumentOutOfRangeException(nameof(t), t, $"Observation index must be in [0, {Length}].");
        return _observations.AsSpan(t * ObservationSize, ObservationSize);
    }

    internal void Begin(ReadOnlySpan<float> observation, ulong seed)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"Observation has {observation.Length} values, the recording stores {ObservationSize}.", nameof(observation));
        observation.CopyTo(_observations);
        Length = 0;
        Seed = seed;
        Return = 0;
        IsComplete = true;
        Terminated = Truncated = false;
    }

    internal void Record(int action, float reward, ReadOnlySpan<float> nextObservation, bool terminated, bool truncated)
    {
        Return += reward;
        Terminated = terminated;
        Truncated = truncated;
        if (Length == MaxSteps)
        {
            IsComplete = false;
            return;
        }
        _actions[Length] = action;
        Length++;
        nextObservation.CopyTo(_observations.AsSpan(Length * ObservationSize, ObservationSize));
    }
}
