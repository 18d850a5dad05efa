using TinyTorch;

namespace Dqn.Replay;

/// <summary>
/// Experience replay as a struct-of-arrays ring: one flat array per field, slot i of each array is transition i.
/// When full, the oldest transition is overwritten. <see cref="Sample"/> draws indices uniformly <b>with replacement</b>
/// from the filled slots, exactly like Stable-Baselines3's <c>ReplayBuffer.sample</c> (<c>np.random.randint(0, size)</c>),
/// so a batch may hold the same transition twice and a batch larger than the filled part is allowed.
/// </summary>
public sealed class ReplayBuffer : ITransitionSink
{
    private readonly float[] _observations;
    private readonly float[] _nextObservations;
    private readonly int[] _actions;
    private readonly float[] _rewards;
    private readonly float[] _terminated;
    private readonly float[] _discounts;

    /// <summary>An empty ring of <paramref name="capacity"/> transitions of observations of length <paramref name="observationSize"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When either is below 1.</exception>
    public ReplayBuffer(int capacity, int observationSize)
    {
        if (capacity <= 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Replay capacity must be at least 1.");
        if (observationSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "Observation size must be positive.");
        Capacity = capacity;
        ObservationSize = observationSize;
        _observations = new float[checked(capacity * observationSize)];
        _nextObservations = new float[checked(capacity * observationSize)];
        _actions = new int[capacity];
        _rewards = new float[capacity];
        _terminated = new float[capacity];
        _discounts = new float[capacity];
    }

    /// <summary>The most transitions the ring holds; the next one overwrites the oldest.</summary>
    public int Capacity { get; }

    /// <summary>D, the length of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>How many slots hold a transition (grows to <see cref="Capacity"/>, then stays).</summary>
    public int Count { get; private set; }

    /// <summary>The slot the next <see cref="Add"/> writes (the oldest transition once the ring is full).</summary>
    public int Position { get; private set; }

    /// <summary>Stores a transition in slot <see cref="Position"/> (see <see cref="ITransitionSink.Add"/>).</summary>
    public void Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation,
        bool terminated, float discount) =>
        AddAt(observation, action, reward, nextObservation, terminated, discount);

    /// <summary>Like <see cref="Add"/>, and returns the slot written (the prioritized buffer keys its trees by slot).</summary>
    public int AddAt(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation,
        bool terminated, float discount)
    {
        CheckObservation(observation, nameof(observation));
        CheckObservation(nextObservation, nameof(nextObservation));
        int slot = Position;
        observation.CopyTo(_observations.AsSpan(slot * ObservationSize, ObservationSize));
        nextObservation.CopyTo(_nextObservations.AsSpan(slot * ObservationSize, ObservationSize));
        _actions[slot] = action;
        _rewards[slot] = reward;
        _terminated[slot] = terminated ? 1f : 0f;
        _discounts[slot] = discount;
        Position = (slot + 1) % Capacity;
        if (Count < Capacity)
            Count++;
        return slot;
    }

    /// <summary>Fills <paramref name="batch"/> with <c>batch.BatchSize</c> transitions drawn uniformly with replacement; weights are 1.</summary>
    public void Sample(int batchSize, Rng rng, ReplayBatch batch)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckBatch(batchSize, batch);
        if (Count == 0)
            throw new InvalidOperationException("Cannot sample from an empty replay buffer: add transitions first.");
        var indices = batch.Indices.AsSpan(0, batchSize);
        for (int i = 0; i < indices.Length; i++)
            indices[i] = rng.NextInt(Count);
        Gather(indices, batch);
    }

    /// <summary>Copies the transitions in the given slots into the first rows of <paramref name="batch"/> (slots into its <c>Indices</c>, weights 1).</summary>
    public void Gather(ReadOnlySpan<int> indices, ReplayBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        CheckBatch(indices.Length, batch);
        int d = ObservationSize;
        for (int i = 0; i < indices.Length; i++)
        {
            int slot = indices[i];
            if ((uint)slot >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), slot, $"Slot must be in [0, {Count}) (the filled part of the buffer).");
            _observations.AsSpan(slot * d, d).CopyTo(batch.Observations.AsSpan(i * d, d));
            _nextObservations.AsSpan(slot * d, d).CopyTo(batch.NextObservations.AsSpan(i * d, d));
            batch.Actions[i] = _actions[slot];
            batch.Rewards[i] = _rewards[slot];
            batch.Terminated[i] = _terminated[slot];
            batch.Discounts[i] = _discounts[slot];
            batch.Indices[i] = slot;
            batch.Weights[i] = 1f;
        }
    }

    /// <summary>A copy of the filled slots (ring order kept, <see cref="Position"/> included) for a checkpoint.</summary>
    public ReplayBufferState GetState()
    {
        int n = Count, d = ObservationSize;
        return new ReplayBufferState
        {
            Capacity = Capacity,
            ObservationSize = d,
            Count = n,
            Position = Position,
            Observations = _observations.AsSpan(0, n * d).ToArray(),
            NextObservations = _nextObservations.AsSpan(0, n * d).ToArray(),
            Actions = _actions.AsSpan(0, n).ToArray(),
            Rewards = _rewards.AsSpan(0, n).ToArray(),
            Terminated = _terminated.AsSpan(0, n).ToArray(),
            Discounts = _discounts.AsSpan(0, n).ToArray(),
        };
    }

    /// <summary>Restores a state taken with <see cref="GetState"/> from a buffer of the same capacity and observation size.</summary>
    public void SetState(ReplayBufferState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Validate();
        if (state.Capacity != Capacity || state.ObservationSize != ObservationSize)
            throw new ArgumentException(
                $"Replay state is for capacity {state.Capacity} × observation size {state.ObservationSize}, " +
                $"this buffer is {Capacity} × {ObservationSize}.", nameof(state));
        int n = state.Count, d = ObservationSize;
        state.Observations.CopyTo(_observations, 0);
        state.NextObservations.CopyTo(_nextObservations, 0);
        state.Actions.CopyTo(_actions, 0);
        state.Rewards.CopyTo(_rewards, 0);
        state.Terminated.CopyTo(_terminated, 0);
        state.Discounts.CopyTo(_discounts, 0);
        _observations.AsSpan(n * d).Clear();
        _nextObservations.AsSpan(n * d).Clear();
        _actions.AsSpan(n).Clear();
        _rewards.AsSpan(n).Clear();
        _terminated.AsSpan(n).Clear();
        _discounts.AsSpan(n).Clear();
        Count = n;
        Position = state.Position;
    }

    private void CheckObservation(ReadOnlySpan<float> observation, string name)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"Observation has {observation.Length} values, the buffer stores {ObservationSize}.", name);
    }

    private void CheckBatch(int batchSize, ReplayBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batchSize <= 0 || batchSize > batch.BatchSize)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Batch size must be in [1, {batch.BatchSize}] (the batch object's size).");
        if (batch.ObservationSize != ObservationSize)
            throw new ArgumentException($"Batch holds observations of size {batch.ObservationSize}, the buffer stores {ObservationSize}.", nameof(batch));
    }
}
