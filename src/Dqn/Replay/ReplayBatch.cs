namespace Dqn.Replay;

/// <summary>
/// A minibatch the caller allocates once and hands to <see cref="ReplayBuffer.Sample"/> (or
/// <see cref="PrioritizedReplayBuffer.Sample"/>) on every update: sampling overwrites its arrays and allocates nothing.
/// The arrays are exposed directly so a trainer can wrap them in tensors once (TinyTorch's <c>Tensor</c> keeps the
/// array it is given) and reuse those tensors for every update.
/// </summary>
public sealed class ReplayBatch
{
    /// <summary>Arrays for <paramref name="batchSize"/> transitions of observations of length <paramref name="observationSize"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When either is below 1.</exception>
    public ReplayBatch(int batchSize, int observationSize)
    {
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A batch needs at least one transition.");
        if (observationSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "Observation size must be positive.");
        BatchSize = batchSize;
        ObservationSize = observationSize;
        Observations = new float[batchSize * observationSize];
        NextObservations = new float[batchSize * observationSize];
        Actions = new int[batchSize];
        Rewards = new float[batchSize];
        Terminated = new float[batchSize];
        Discounts = new float[batchSize];
        Weights = new float[batchSize];
        Indices = new int[batchSize];
    }

    /// <summary>B, the transitions per batch (rows of every array).</summary>
    public int BatchSize { get; }

    /// <summary>D, the length of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>s, row-major [BatchSize × ObservationSize].</summary>
    public float[] Observations { get; }

    /// <summary>s′ (sₜ₊ₙ for n-step transitions), row-major [BatchSize × ObservationSize].</summary>
    public float[] NextObservations { get; }

    /// <summary>a, the action taken in s.</summary>
    public int[] Actions { get; }

    /// <summary>R: the reward, or the discounted n-step return Σₖ γᵏ rₜ₊ₖ.</summary>
    public float[] Rewards { get; }

    /// <summary>1 when s′ is terminal (no bootstrapping), else 0: stored as float so (1 − terminated) is a plain multiply.</summary>
    public float[] Terminated { get; }

    /// <summary>The factor in front of the bootstrap term: γ for 1-step, γᵏ for a k-step transition.</summary>
    public float[] Discounts { get; }

    /// <summary>Importance-sampling weights wᵢ (all 1 for uniform sampling).</summary>
    public float[] Weights { get; }

    /// <summary>The buffer slot of each sampled transition, for <see cref="PrioritizedReplayBuffer.UpdatePriorities"/>.</summary>
    public int[] Indices { get; }
}
