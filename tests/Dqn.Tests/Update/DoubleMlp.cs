using TinyTorch.Nn;

namespace Dqn.Tests.Update;

/// <summary>
/// An MLP evaluated in double precision from its own copy of the parameters (weight [out, in] and bias per layer,
/// ReLU between layers), for finite differences independent of the float code under test.
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

    public double[] Forward(ReadOnlySpan<float> input)
    {
        double[] x = [.. input.ToArray().Select(v => (double)v)];
        for (int l = 0; l < Layers.Length; l++)
        {
            var (inputs, outputs) = Layers[l];
            double[] w = Parameters[2 * l], bias = Parameters[2 * l + 1];
            var y = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double sum = bias[o];
                for (int i = 0; i < inputs; i++)
                    sum += w[o * inputs + i] * x[i];
                y[o] = l < Layers.Length - 1 ? Math.Max(sum, 0) : sum;
            }
            x = y;
        }
        return x;
    }
}
