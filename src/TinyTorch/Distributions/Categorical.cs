namespace TinyTorch.Distributions;

/// <summary>
/// A batch of categorical distributions over A actions given by unnormalised logits [B, A] (PyTorch's
/// <c>torch.distributions.Categorical(logits=...)</c>). Everything goes through log π = log_softmax(logits), so the
/// log-probabilities never overflow and the gradient is autograd's: no extra backward rule is needed.
/// </summary>
public sealed class Categorical
{
    /// <param name="logits">[B, A] unnormalised log-probabilities, one row per distribution.</param>
    /// <exception cref="ArgumentException">When <paramref name="logits"/> is not 2-D with at least one action.</exception>
    public Categorical(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 2 || logits.Size(1) < 1)
            throw new ArgumentException($"Categorical: expects logits [B, A] with A >= 1, got shape {Tensor.FormatShape(logits.Shape)}.", nameof(logits));
        // log πⱼ = logitsⱼ − log Σₖ e^logitsₖ                                               [B, A]
        LogProbs = logits.LogSoftmax(1);
    }

    /// <summary>log π(·|s) [B, A]: the normalised log-probabilities (PyTorch's <c>dist.logits</c>).</summary>
    public Tensor LogProbs { get; }

    /// <summary>π(·|s) = e^(log π) [B, A] (PyTorch's <c>dist.probs</c>).</summary>
    public Tensor Probs() => LogProbs.Exp();

    /// <summary>log π(aᵢ|sᵢ) [B]: the log-probability of one action per row (PyTorch's <c>dist.log_prob(a)</c>).</summary>
    /// <exception cref="ArgumentException">When there is not one action per row.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When an action is outside 0..A−1.</exception>
    public Tensor LogProb(int[] actions) => LogProbs.Gather(1, actions);

    /// <summary>
    /// Draws one action per row into <paramref name="actions"/> by inverting the CDF: the first a with
    /// u &lt; Σ_{j≤a} πⱼ, u ~ U[0, 1) from <paramref name="rng"/> (one draw per row, in row order).
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="actions"/> does not have one entry per row.</exception>
    public void Sample(Rng rng, Span<int> actions)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int rows = LogProbs.Size(0), n = LogProbs.Size(1);
        if (actions.Length != rows)
            throw new ArgumentException($"Categorical.Sample: {actions.Length} action slots for {rows} rows.", nameof(actions));
        float[] logProbs = LogProbs.Data;
        for (int r = 0; r < rows; r++)
        {
            double u = rng.NextDouble(), cumulative = 0;
            int a = n - 1;  // rounding may leave Σπ a hair below 1: the last action takes the rest
            for (int j = 0; j < n - 1; j++)
            {
                cumulative += Math.Exp(logProbs[r * n + j]);
                if (u < cumulative)
                {
                    a = j;
                    break;
                }
            }
            actions[r] = a;
        }
    }

    /// <summary>H(π(·|s)) = −Σⱼ πⱼ·log πⱼ [B] (PyTorch's <c>dist.entropy()</c>).</summary>
    public Tensor Entropy() => (Probs() * LogProbs).Sum(1).Neg();
}
