using TinyTorch;

namespace Dqn.Replay;

/// <summary>
/// Proportional prioritized experience replay (Schaul et al. 2016, "Prioritized Experience Replay", §3.3 and
/// Algorithm 1). Transition i has priority pᵢ = |δᵢ| + ε (its last TD error) and is sampled with probability
/// P(i) = pᵢ^α / Σₖ pₖ^α; the bias this introduces is corrected by the importance-sampling weights
/// wᵢ = (N · P(i))^−β / maxⱼ wⱼ, with β annealed from β₀ to 1 over training (<see cref="global::Training.Schedules.LinearSchedule"/>).
/// New transitions get the largest priority seen so far, so each is replayed at least once soon.
/// Sampling is stratified: [0, Σ pᵢ^α) is cut into B equal segments and one prefix sum is drawn uniformly in each.
/// The transitions live in a <see cref="ReplayBuffer"/> (<see cref="Storage"/>); a <see cref="SumTree"/> and a
/// <see cref="MinTree"/> over the same slots hold pᵢ^α.
/// </summary>
public sealed class PrioritizedReplayBuffer : ITransitionSink
{
    private readonly SumTree _sums;
    private readonly MinTree _mins;

    /// <summary>An empty buffer of <paramref name="capacity"/> transitions with priority exponent α and offset ε.</summary>
    /// <param name="capacity">Transitions kept; the oldest is overwritten once full.</param>
    /// <param name="observationSize">D, the length of one observation.</param>
    /// <param name="alpha">α in P(i) = pᵢ^α / Σₖ pₖ^α: 0 samples uniformly, 1 fully in proportion to priority.</param>
    /// <param name="epsilon">ε in pᵢ = |δᵢ| + ε, so that no transition has probability 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">When α &lt; 0, ε ≤ 0, either is not finite, or capacity or observation size is below 1.</exception>
    public PrioritizedReplayBuffer(int capacity, int observationSize, double alpha, double epsilon)
    {
        if (!(alpha >= 0) || double.IsInfinity(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Priority exponent alpha must be finite and ≥ 0.");
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Priority epsilon must be finite and > 0.");
        Storage = new ReplayBuffer(capacity, observationSize);
        _sums = new SumTree(capacity);
        _mins = new MinTree(capacity);
        Alpha = alpha;
        Epsilon = epsilon;
    }

    /// <summary>The transitions themselves.</summary>
    public ReplayBuffer Storage { get; }

    /// <summary>The most transitions the buffer holds.</summary>
    public int Capacity => Storage.Capacity;

    /// <summary>Transitions held now (grows to <see cref="Capacity"/>).</summary>
    public int Count => Storage.Count;

    /// <summary>α: 0 gives uniform sampling, 1 fully proportional.</summary>
    public double Alpha { get; }

    /// <summary>ε in pᵢ = |δᵢ| + ε, so no transition's probability drops to 0.</summary>
    public double Epsilon { get; }

    /// <summary>The largest priority pᵢ (before ^α) seen so far; new transitions get it. Starts at 1.</summary>
    public double MaxPriority { get; private set; } = 1.0;

    /// <summary>Stores the transition with priority <see cref="MaxPriority"/>.</summary>
    public void Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation,
        bool terminated, float discount)
    {
        int slot = Storage.AddAt(observation, action, reward, nextObservation, terminated, discount);
        SetLeaf(slot, Math.Pow(MaxPriority, Alpha));
    }

    /// <summary>
    /// Fills <paramref name="batch"/> with <paramref name="batchSize"/> transitions drawn with probability P(i)
    /// (one per stratum), their slots in <c>batch.Indices</c> and their normalised weights in <c>batch.Weights</c>.
    /// </summary>
    public void Sample(int batchSize, double beta, Rng rng, ReplayBatch batch)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(batch);
        if (!(beta >= 0 && beta <= 1))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Importance-sampling exponent beta must be in [0, 1].");
        if (batchSize <= 0 || batchSize > batch.BatchSize)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Batch size must be in [1, {batch.BatchSize}] (the batch object's size).");
        if (Count == 0)
            throw new InvalidOperationException("Cannot sample from an empty replay buffer: add transitions first.");

        double total = _sums.Total;
        double segment = total / batchSize;
        var indices = batch.Indices.AsSpan(0, batchSize);
        for (int i = 0; i < batchSize; i++)
        {
            double prefix = (i + rng.NextDouble()) * segment;
            indices[i] = _sums.FindPrefixSum(prefix);
        }
        Storage.Gather(indices, batch);

        // wᵢ = (N·P(i))^−β / maxⱼ wⱼ, and maxⱼ wⱼ = (N·P_min)^−β belongs to the least likely transition.
        double n = Count;
        double maxWeight = Math.Pow(n * (_mins.Min / total), -beta);
        for (int i = 0; i < batchSize; i++)
        {
            double probability = _sums[indices[i]] / total;
            batch.Weights[i] = (float)(Math.Pow(n * probability, -beta) / maxWeight);
        }
    }

    /// <summary>After a learning step: pᵢ = |δᵢ| + ε for each sampled slot (<c>batch.Indices</c>) and its new TD error δᵢ.</summary>
    public void UpdatePriorities(ReadOnlySpan<int> indices, ReadOnlySpan<float> tdErrors)
    {
        if (indices.Length != tdErrors.Length)
            throw new ArgumentException($"Got {indices.Length} indices but {tdErrors.Length} TD errors; they must pair up.", nameof(tdErrors));
        for (int i = 0; i < indices.Length; i++)
        {
            int slot = indices[i];
            if ((uint)slot >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), slot, $"Slot must be in [0, {Count}) (the filled part of the buffer).");
            float delta = tdErrors[i];
            if (!float.IsFinite(delta))
                throw new ArgumentOutOfRangeException(nameof(tdErrors), delta, $"TD error for slot {slot} must be finite.");
            double priority = Math.Abs(delta) + Epsilon;
            MaxPriority = Math.Max(MaxPriority, priority);
            SetLeaf(slot, Math.Pow(priority, Alpha));
        }
    }

    /// <summary>pᵢ^α of slot <paramref name="slot"/> (the value sampling is proportional to).</summary>
    public double PriorityAt(int slot) => _sums[slot];

    /// <summary>The transitions plus the priorities pᵢ^α of the filled slots and <see cref="MaxPriority"/>, for a checkpoint.</summary>
    public PrioritizedReplayState GetState()
    {
        var priorities = new double[Count];
        for (int i = 0; i < priorities.Length; i++)
            priorities[i] = _sums[i];
        return new PrioritizedReplayState { Storage = Storage.GetState(), Priorities = priorities, MaxPriority = MaxPriority };
    }

    /// <summary>Restores a state from <see cref="GetState"/> (same capacity, observation size and α).</summary>
    public void SetState(PrioritizedReplayState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Priorities.Length != state.Storage.Count)
            throw new InvalidDataException($"Prioritized replay state has {state.Priorities.Length} priorities for {state.Storage.Count} transitions.");
        if (!(state.MaxPriority > 0) || double.IsInfinity(state.MaxPriority))
            throw new InvalidDataException($"Prioritized replay state max priority {state.MaxPriority} must be finite and > 0.");
        foreach (double p in state.Priorities)
        {
            if (!(p > 0) || double.IsInfinity(p))
                throw new InvalidDataException($"Prioritized replay state holds priority {p}; priorities must be finite and > 0.");
        }
        Storage.SetState(state.Storage);
        for (int i = 0; i < Capacity; i++)
            SetLeaf(i, i < state.Priorities.Length ? state.Priorities[i] : 0);
        MaxPriority = state.MaxPriority;
    }

    private void SetLeaf(int slot, double value)
    {
        _sums.Set(slot, value);
        _mins.Set(slot, value > 0 ? value : double.PositiveInfinity);
    }
}
