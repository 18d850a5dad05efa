using PolicyGradient.Rollout;
using TinyTorch;
using TinyTorch.Optim;

namespace PolicyGradient.Update;

/// <summary>
/// The second loop of CleanRL ppo.py's iteration: <c>update_epochs</c> passes over the rollout's T·N rows, each a fresh
/// shuffle drawn from an explicit <see cref="Rng"/> and cut into <c>num_minibatches</c> minibatches, one
/// <see cref="PpoUpdate.Step"/> per minibatch. The permutation and the minibatch tensors are allocated once, here,
/// and refilled in place (the autograd step itself allocates its graph).
/// </summary>
public sealed class PpoEpochs
{
    private readonly int[] _indices;
    private readonly PpoBatch _minibatch;

    /// <param name="batchSize">T·N, the rows of a rollout.</param>
    /// <param name="numMinibatches">How many minibatches an epoch is cut into; must divide <paramref name="batchSize"/>.</param>
    /// <param name="observationSize">D.</param>
    /// <exception cref="ArgumentException">When the minibatches do not divide the batch evenly or a size is below 1.</exception>
    public PpoEpochs(int batchSize, int numMinibatches, int observationSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numMinibatches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(observationSize, 1);
        if (batchSize % numMinibatches != 0)
            throw new ArgumentException($"PpoEpochs: {numMinibatches} minibatches do not divide a batch of {batchSize} rows evenly.", nameof(numMinibatches));
        NumMinibatches = numMinibatches;
        MinibatchSize = batchSize / numMinibatches;
        _indices = new int[batchSize];
        int m = MinibatchSize;
        _minibatch = new PpoBatch(Torch.Zeros(m, observationSize), new int[m], Torch.Zeros(m), Torch.Zeros(m), Torch.Zeros(m), Torch.Zeros(m));
    }

    /// <summary>num_minibatches: the minibatches of one epoch.</summary>
    public int NumMinibatches { get; }

    /// <summary>T·N / num_minibatches.</summary>
    public int MinibatchSize { get; }

    /// <summary>
    /// Runs <paramref name="epochs"/> epochs of minibatch updates on <paramref name="buffer"/> (whose advantages must be
    /// computed) and returns the statistics of the last minibatch, as CleanRL logs them, and the number of epochs run:
    /// with <paramref name="targetKl"/>, the epochs stop after the first whose last approx_kl exceeds it (CleanRL's
    /// <c>target_kl</c>).
    /// </summary>
    /// <exception cref="ArgumentException">When the buffer's size differs from the one given at construction.</exception>
    public (PpoStats LastStats, int EpochsRun) Run(Agent agent, Optimizer optimizer, RolloutBuffer buffer, PpoLossConfig config, int epochs, Rng rng, double? targetKl = null)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        if (buffer.Size != _indices.Length || buffer.ObservationSize != _minibatch.Observations.Size(1))
            throw new ArgumentException($"PpoEpochs: built for {_indices.Length} rows of {_minibatch.Observations.Size(1)} values, got a rollout of {buffer.Size} rows of {buffer.ObservationSize}.", nameof(buffer));
        PpoStats last = default;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            // b_inds = permutation(batch_size), fresh each epoch
            Shuffle(_indices, rng);
            for (int start = 0; start < _indices.Length; start += MinibatchSize)
            {
                // mb_inds = b_inds[start : start + minibatch_size]
                Gather(buffer, _indices.AsSpan(start, MinibatchSize), _minibatch);
                last = PpoUpdate.Step(agent, optimizer, _minibatch, config).Stats;
            }
            if (targetKl is { } kl && last.ApproxKl > kl)
                return (last, epoch + 1);
        }
        return (last, epochs);
    }

    /// <summary>indices ← a uniformly random permutation of 0..n−1 (Fisher–Yates from the top, one draw per position).</summary>
    public static void Shuffle(Span<int> indices, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < indices.Length; i++)
            indices[i] = i;
        for (int i = indices.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
    }

    /// <summary>Row r of <paramref name="into"/> ← row rows[r] of the rollout, every field.</summary>
    private static void Gather(RolloutBuffer buffer, ReadOnlySpan<int> rows, PpoBatch into)
    {
        int d = buffer.ObservationSize;
        float[] obs = into.Observations.Data;
        for (int r = 0; r < rows.Length; r++)
        {
            int k = rows[r];
            buffer.Observations.AsSpan(k * d, d).CopyTo(obs.AsSpan(r * d, d));
            into.Actions[r] = buffer.Actions[k];
            into.LogProbs.Data[r] = buffer.LogProbs[k];
            into.Advantages.Data[r] = buffer.Advantages[k];
            into.Returns.Data[r] = buffer.Returns[k];
            into.Values.Data[r] = buffer.Values[k];
        }
    }
}
