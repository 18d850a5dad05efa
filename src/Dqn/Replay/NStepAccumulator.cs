namespace Dqn.Replay;

/// <summary>
/// Turns the stream of 1-step transitions of an episode into n-step transitions (Sutton &amp; Barto §7.1; Rainbow):
/// from (sₜ, aₜ) it emits R = Σₖ₌₀ⁿ⁻¹ γᵏ rₜ₊ₖ, the state sₜ₊ₙ to bootstrap from, and the discount γⁿ, so the
/// learning target is y = R + γⁿ · (1 − terminated) · max_a′ Q(sₜ₊ₙ, a′).
/// <list type="bullet">
/// <item>Termination at step t + k &lt; t + n cuts the sum: R stops at the terminal reward, terminated = 1, and no
/// bootstrap follows (the emitted discount γᵏ⁺¹ is then unused).</item>
/// <item>Truncation (a time limit) is not termination: the transitions still pending are flushed with their shorter
/// sums R = Σₖ₌₀ᵐ⁻¹ γᵏ rₜ₊ₖ, they bootstrap from the last next state with discount γᵐ, and terminated = 0.</item>
/// </list>
/// With n = 1 every transition passes straight through with discount γ. Pending transitions live in preallocated
/// rings: adding allocates nothing.
/// </summary>
internal sealed class NStepAccumulator
{
    private readonly float[] _observations;
    private readonly int[] _actions;
    private readonly float[] _rewards;
    private int _head;

    public NStepAccumulator(int n, double gamma, int observationSize)
    {
        if (n < 1)
            throw new ArgumentOutOfRangeException(nameof(n), n, "n_step must be at least 1.");
        if (gamma is < 0 or > 1 || double.IsNaN(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in [0, 1].");
        if (observationSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "Observation size must be positive.");
        N = n;
        Gamma = gamma;
        ObservationSize = observationSize;
        _observations = new float[n * observationSize];
        _actions = new int[n];
        _rewards = new float[n];
    }

    public int N { get; }

    public double Gamma { get; }

    public int ObservationSize { get; }

    /// <summary>1-step transitions received whose n-step transition is not emitted yet (always &lt; N between calls).</summary>
    public int PendingCount { get; private set; }

    /// <summary>
    /// Takes the 1-step transition (s, a, r, s′) with its end flags and writes every n-step transition it completes
    /// into <paramref name="sink"/>: the oldest pending one once n rewards are known, and all pending ones when the
    /// episode ends (terminated or truncated).
    /// </summary>
    public void Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation,
        bool terminated, bool truncated, ITransitionSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"Observation has {observation.Length} values, expected {ObservationSize}.", nameof(observation));
        if (nextObservation.Length != ObservationSize)
            throw new ArgumentException($"Next observation has {nextObservation.Length} values, expected {ObservationSize}.", nameof(nextObservation));

        int slot = (_head + PendingCount) % N;
        observation.CopyTo(_observations.AsSpan(slot * ObservationSize, ObservationSize));
        _actions[slot] = action;
        _rewards[slot] = reward;
        PendingCount++;

        if (terminated || truncated)
        {
            while (PendingCount > 0)
                EmitOldest(nextObservation, terminated, sink);
        }
        else if (PendingCount == N)
        {
            EmitOldest(nextObservation, terminated: false, sink);
        }
    }

    /// <summary>Drops the pending transitions (e.g. when an episode is abandoned without an end flag).</summary>
    public void Clear()
    {
        _head = 0;
        PendingCount = 0;
    }

    private void EmitOldest(ReadOnlySpan<float> bootstrapObservation, bool terminated, ITransitionSink sink)
    {
        // R = Σₖ₌₀ᵐ⁻¹ γᵏ rₜ₊ₖ over the m rewards known for the oldest pending transition; its bootstrap discount is γᵐ.
        double ret = 0, discount = 1;
        for (int k = 0; k < PendingCount; k++)
        {
            ret += discount * _rewards[(_head + k) % N];
            discount *= Gamma;
        }
        sink.Add(_observations.AsSpan(_head * ObservationSize, ObservationSize), _actions[_head], (float)ret,
            bootstrapObservation, terminated, (float)discount);
        _head = (_head + 1) % N;
        PendingCount--;
    }
}
