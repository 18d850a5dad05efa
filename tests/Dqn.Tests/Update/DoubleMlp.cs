using TinyTorch.Nn;

namespace Dqn.Tests.Update;

/// <summary>
/// An MLP evaluated in double precision from its own copy of the parameters (weight [out, in] and bias per layer,
/// ReLU between layers), with its own backward, for references independent of the float code under test.
/// </summary>
internal sealed class DoubleMlp
{
    public DoubleMlp(Sequential network)
    {
        Parameters = [.. network.Parameters().Select(p => p.Data.Select(v => (double)v).ToArray())];
        Layers = [.. network.OfType<Linear>().Select(l => (l.InFeatures, l.OutFeatures))];
    }

    /// <summary>In <see cref="Sequential.Parameters"/> order: weight, bias of each layer.</summary>
    public double[][] Parameters { get; }

    private (int In, int Out)[] Layers { get; }

    public double[] Forward(ReadOnlySpan<float> input) => Forward([.. input.ToArray().Select(v => (double)v)])[^1];

    /// <summary>The input of every layer and, last, the output: x₀ = input, xₗ₊₁ = relu(Wₗ·xₗ + bₗ) (no relu on the last).</summary>
    public double[][] Forward(double[] input)
    {
        var xs = new double[Layers.Length + 1][];
        xs[0] = input;
        for (int l = 0; l < Layers.Length; l++)
        {
            var (inputs, outputs) = Layers[l];
            double[] w = Parameters[2 * l], bias = Parameters[2 * l + 1], x = xs[l];
            var y = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double sum = bias[o];
                for (int i = 0; i < inputs; i++)
                    sum += w[o * inputs + i] * x[i];
                y[o] = l < Layers.Length - 1 ? Math.Max(sum, 0) : sum;
            }
            xs[l + 1] = y;
        }
        return xs;
    }

    /// <summary>
    /// Adds ∂L/∂θ to <paramref name="gradients"/> (shaped like <see cref="Parameters"/>) for one row whose
    /// <see cref="Forward(double[])"/> gave <paramref name="xs"/>, from ∂L/∂output: ∂L/∂Wₗ += gₗ·xₗᵀ, ∂L/∂bₗ += gₗ,
    /// gₗ₋₁ = (Wₗᵀ·gₗ) ⊙ [xₗ &gt; 0]. With <paramref name="jitter"/>, every xₗ and gₗ element is passed through it
    /// first (to model rounding in the products that make up each gradient).
    /// </summary>
    public void Backward(double[][] xs, double[] gradOutput, double[][] gradients, Func<double, double>? jitter = null)
    {
        jitter ??= v => v;
        double[] g = [.. gradOutput.Select(jitter)];
        for (int l = Layers.Length - 1; l >= 0; l--)
        {
            var (inputs, outputs) = Layers[l];
            double[] w = Parameters[2 * l], x = [.. xs[l].Select(jitter)];
            var gx = new double[inputs];
            for (int o = 0; o < outputs; o++)
            {
                gradients[2 * l + 1][o] += g[o];
                for (int i = 0; i < inputs; i++)
                {
                    gradients[2 * l][o * inputs + i] += g[o] * x[i];
                    gx[i] += w[o * inputs + i] * g[o];
                }
            }
            for (int i = 0; i < inputs; i++)
                gx[i] = x[i] > 0 ? jitter(gx[i]) : 0;
            g = gx;
        }
    }

    /// <summary>Zeros shaped like <see cref="Parameters"/>.</summary>
    public double[][] ZerosLikeParameters() => [.. Parameters.Select(p => new double[p.Length])];
}
