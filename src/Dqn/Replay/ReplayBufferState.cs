namespace Dqn.Replay;

/// <summary>
/// The contents of a <see cref="ReplayBuffer"/> as plain arrays, for resuming a run: the caller writes them where it
/// likes (e.g. as safetensors: <c>obs</c> F32 [Count, ObservationSize], <c>actions</c> I32 [Count], ..., with
/// Capacity, Count and Position as metadata). Arrays hold the filled slots 0 .. Count − 1 in slot order, so the ring
/// position survives the round trip and sampling after a resume sees the same slots as before.
/// </summary>
public sealed class ReplayBufferState
{
    /// <summary>The buffer's capacity.</summary>
    public required int Capacity { get; init; }
    /// <summary>D, the length of one observation.</summary>
    public required int ObservationSize { get; init; }
    /// <summary>Filled slots, 0 .. Capacity.</summary>
    public required int Count { get; init; }
    /// <summary>The slot the next transition goes to: Count until the ring is full, then in [0, Capacity).</summary>
    public required int Position { get; init; }
    /// <summary>s, row-major [Count × ObservationSize].</summary>
    public required float[] Observations { get; init; }
    /// <summary>s′, row-major [Count × ObservationSize].</summary>
    public required float[] NextObservations { get; init; }
    /// <summary>a, [Count].</summary>
    public required int[] Actions { get; init; }
    /// <summary>r (the n-step return for n-step transitions), [Count].</summary>
    public required float[] Rewards { get; init; }
    /// <summary>1 = terminated, 0 = not.</summary>
    public required float[] Terminated { get; init; }
    /// <summary>The factor in front of the bootstrap term, γᵏ for a k-step transition, [Count].</summary>
    public required float[] Discounts { get; init; }

    /// <summary>Throws if the numbers and array lengths do not describe a possible buffer.</summary>
    public void Validate()
    {
        if (Capacity <= 0 || ObservationSize <= 0)
            throw new InvalidDataException($"Replay state has capacity {Capacity} and observation size {ObservationSize}; both must be positive.");
        if (Count < 0 || Count > Capacity)
            throw new InvalidDataException($"Replay state count {Count} must be in [0, {Capacity}].");
        if (Position < 0 || Position >= Capacity || (Count < Capacity && Position != Count))
            throw new InvalidDataException(
                $"Replay state position {Position} is impossible for count {Count} and capacity {Capacity} " +
                "(it equals the count until the ring is full, then lies in [0, capacity)).");
        CheckLength(nameof(Observations), Observations.Length, Count * ObservationSize);
        CheckLength(nameof(NextObservations), NextObservations.Length, Count * ObservationSize);
        CheckLength(nameof(Actions), Actions.Length, Count);
        CheckLength(nameof(Rewards), Rewards.Length, Count);
        CheckLength(nameof(Terminated), Terminated.Length, Count);
        CheckLength(nameof(Discounts), Discounts.Length, Count);
    }

    private static void CheckLength(string name, int actual, int expected)
    {
        if (actual != expected)
            throw new InvalidDataException($"Replay state {name} has {actual} values, expected {expected}.");
    }
}
