using TinyTorch;
using TinyTorch.Nn;

namespace Dqn.Update;

/// <summary>
/// Backward for one transition of the batch, written out module by module from the loss to the first layer (what
/// <c>loss.Backward()</c> does for the whole batch at once, summing the rows), for <c>scratchrl q-update --explain</c>:
/// ∂L/∂Q(s, a) → gather → the dueling head when there is one → for each Linear z = W·x + b, ∂L/∂b = ∂L/∂z,
/// ∂L/∂W = ∂L/∂z ⊗ x and ∂L/∂x = Wᵀ·∂L/∂z → for each ReLU h = max(z, 0), ∂L/∂z = ∂L/∂h ⊙ [z &gt; 0]. Any depth of
/// Linear and ReLU modules. Computed with plain loops in the network's current weights (before the optimizer step).
/// </summary>
/// <param name="Row">Which transition of the batch.</param>
/// <param name="Action">a, the action it took.</param>
/// <param name="LossGradient">∂L/∂Q(s, a) = wᵢ·ℓ′(δᵢ)/B, where the chain starts.</param>
/// <param name="QGradient">∂L/∂Q(s, ·) after gather: <see cref="LossGradient"/> at a, 0 elsewhere.</param>
/// <param name="OutputGradient">∂L/∂output: <see cref="QGradient"/> itself, or [∂L/∂V, ∂L/∂A₀, …] through the dueling head.</param>
/// <param name="Modules">From the last module to the first.</param>
public sealed record BackpropChain(int Row, int Action, float LossGradient, float[] QGradient, float[] OutputGradient, IReadOnlyList<BackpropChain.ModuleStep> Modules)
{
    /// <summary>
    /// One module's part of the chain: <see cref="Index"/> in the Sequential (its parameters are <c>{Index}.weight</c>,
    /// <c>{Index}.bias</c>), its <see cref="Input"/> in the forward pass (x for a Linear, z for a ReLU), the gradient of
    /// its output and the gradient it passes back to its input.
    /// </summary>
    public sealed record ModuleStep(int Index, bool IsLinear, float[] Input, float[] OutputGradient, float[] InputGradient);

    /// <summary>
    /// The chain of the row of <paramref name="batch"/> with the largest share |∂L/∂z₀[unit]·s[input]| of the gradient of the
    /// first layer's weight [<paramref name="unit"/>, <paramref name="input"/>] (the weight an explanation follows).
    /// </summary>
    /// <param name="network">The Q-network the batch went through.</param>
    /// <param name="batch">The replayed batch.</param>
    /// <param name="lossGradients">∂L/∂Q(sᵢ, aᵢ) of every row.</param>
    /// <param name="dueling">Whether the network ends in a dueling head (value and advantage streams).</param>
    /// <param name="unit">The first layer's output unit (row of its weight).</param>
    /// <param name="input">The first layer's input feature (column of its weight).</param>
    public static BackpropChain OfLargestShare(Sequential network, QBatch batch, ReadOnlySpan<float> lossGradients, bool dueling, int unit, int input)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int d = batch.Observations.Size(1);
        BackpropChain? best = null;
        double bestShare = -1;
        for (int r = 0; r < batch.Size; r++)
        {
            BackpropChain chain = For(network, batch.Observations.Data.AsSpan(r * d, d), r, batch.Actions[r], lossGradients[r], dueling);
            ModuleStep first = chain.Modules[^1];
            double share = Math.Abs((double)first.OutputGradient[unit] * first.Input[input]);
            if (share > bestShare)
                (best, bestShare) = (chain, share);
        }
        return best!;
    }

    /// <summary>The chain for <paramref name="observation"/>, which took <paramref name="action"/>.</summary>
    /// <exception cref="ArgumentException">The network holds a module other than Linear and ReLU.</exception>
    public static BackpropChain For(Sequential network, ReadOnlySpan<float> observation, int row, int action, float lossGradient, bool dueling)
    {
        ArgumentNullException.ThrowIfNull(network);
        // Forward, keeping each module's input
        var inputs = new float[network.Count][];
        float[] x = observation.ToArray();
        for (int k = 0; k < network.Count; k++)
        {
            inputs[k] = x;
            x = network[k] switch
            {
                Linear linear => LinearForward(linear, x),
                ReLU => [.. x.Select(v => Math.Max(v, 0f))],
                var other => throw new ArgumentException($"BackpropChain: module {k} is {other.GetType().Name}; only Linear and ReLU are written out."),
            };
        }
        int actions = dueling ? x.Length - 1 : x.Length;
        // gather: ∂L/∂Q(s, ·) is ∂L/∂Q(s, a) at a and 0 elsewhere
        var qGradient = new float[actions];
        qGradient[action] = lossGradient;
        // dueling head: ∂L/∂V = Σ_a ∂L/∂Q_a, ∂L/∂A_c = ∂L/∂Q_c − mean_a ∂L/∂Q_a
        var g = qGradient;
        if (dueling)
        {
            g = new float[actions + 1];
            DuelingHead.Backward(qGradient, actions, g);
        }
        float[] outputGradient = g;

        var modules = new List<ModuleStep>();
        for (int k = network.Count - 1; k >= 0; k--)
        {
            float[] input = inputs[k], inputGradient;
            if (network[k] is Linear linear)
            {
                // ∂L/∂x = Wᵀ·∂L/∂z  (∂L/∂b = ∂L/∂z and ∂L/∂W = ∂L/∂z ⊗ x need no new numbers)
                inputGradient = new float[linear.InFeatures];
                for (int o = 0; o < linear.OutFeatures; o++)
                    for (int i = 0; i < linear.InFeatures; i++)
                        inputGradient[i] += linear.Weight.Data[o * linear.InFeatures + i] * g[o];
            }
            else
            {
                // ∂L/∂z = ∂L/∂h ⊙ [z > 0]
                inputGradient = new float[g.Length];
                for (int i = 0; i < g.Length; i++)
                    inputGradient[i] = input[i] > 0 ? g[i] : 0f;
            }
            modules.Add(new ModuleStep(k, network[k] is Linear, input, g, inputGradient));
            g = inputGradient;
        }
        return new BackpropChain(row, action, lossGradient, qGradient, outputGradient, modules);
    }

    /// <summary>z = W·x + b for one row.</summary>
    private static float[] LinearForward(Linear linear, float[] x)
    {
        var z = new float[linear.OutFeatures];
        for (int o = 0; o < z.Length; o++)
        {
            float sum = linear.Bias?.Data[o] ?? 0f;
            for (int i = 0; i < linear.InFeatures; i++)
                sum += linear.Weight.Data[o * linear.InFeatures + i] * x[i];
            z[o] = sum;
        }
        return z;
    }
}
