using System.Numerics.Tensors;
using TinyTorch.Nn;

namespace PolicyGradient;

/// <summary>
/// One observation through a <see cref="Sequential"/> of Linear and Tanh layers without a graph or an allocation:
/// yⱼ = Σₖ Wⱼₖ·xₖ + bⱼ per Linear (a dot product per output row, W [out, in] as PyTorch stores it), y ← tanh(y) per
/// Tanh, each layer into a buffer of its own. It reads the network's live weights, so it always computes with the
/// current parameters. Used where a policy acts one observation at a time (evaluation, play).
/// </summary>
internal sealed class TanhMlpRow
{
    private readonly Module[] _layers;
    private readonly float[][] _outputs;

    /// <exception cref="ArgumentException">When the network holds a module other than Linear or Tanh.</exception>
    public TanhMlpRow(Sequential network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _layers = [.. network];
        _outputs = new float[_layers.Length][];
        int width = -1;
        for (int l = 0; l < _layers.Length; l++)
        {
            width = _layers[l] switch
            {
                Linear linear => linear.OutFeatures,
                Tanh when width > 0 => width,
                _ => throw new ArgumentException($"TanhMlpRow: module {l} is {_layers[l].GetType().Name}; expected Linear, then Tanh and Linear alternately.", nameof(network)),
            };
            _outputs[l] = new float[width];
        }
        InFeatures = ((Linear)_layers[0]).InFeatures;
    }

    /// <summary>The length of an input row.</summary>
    public int InFeatures { get; }

    /// <summary>The network's output for one input row (a view of an internal buffer, valid until the next call).</summary>
    /// <exception cref="ArgumentException">When the row does not have <see cref="InFeatures"/> values.</exception>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input)
    {
        if (input.Length != InFeatures)
            throw new ArgumentException($"TanhMlpRow: the input has {input.Length} values; the network reads {InFeatures}.", nameof(input));
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            Span<float> y = _outputs[l];
            if (_layers[l] is Linear linear)
            {
                ReadOnlySpan<float> w = linear.Weight.Data;
                // yⱼ = Wⱼ·x + bⱼ
                for (int j = 0; j < y.Length; j++)
                    y[j] = TensorPrimitives.Dot(w.Slice(j * x.Length, x.Length), x);
                if (linear.Bias is { } bias)
                    TensorPrimitives.Add(y, bias.Data, y);
            }
            else
            {
                TensorPrimitives.Tanh(x, y);
            }
            x = y;
        }
        return x;
    }
}
