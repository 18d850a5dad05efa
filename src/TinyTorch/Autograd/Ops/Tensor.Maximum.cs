using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// z = max(a, b) element-wise (PyTorch's <c>torch.maximum</c>) for tensors of equal shape; NaN wins, as in PyTorch.
    /// Local gradients: ∂z/∂a = 1 where a &gt; b, ∂z/∂b = 1 where b &gt; a, and ½ to each on a tie (PyTorch's rule, which
    /// keeps the sum of the two gradients the gradient of z).
    /// </summary>
    /// <exception cref="ArgumentException">When the shapes differ.</exception>
    public Tensor Maximum(Tensor other) => Extremum(other, "maximum", "MaximumBackward", larger: true);

    /// <summary>
    /// z = min(a, b) element-wise (PyTorch's <c>torch.minimum</c>) for tensors of equal shape; NaN wins, as in PyTorch.
    /// Local gradients: ∂z/∂a = 1 where a &lt; b, ∂z/∂b = 1 where b &lt; a, and ½ to each on a tie.
    /// </summary>
    /// <exception cref="ArgumentException">When the shapes differ.</exception>
    public Tensor Minimum(Tensor other) => Extremum(other, "minimum", "MinimumBackward", larger: false);

    private Tensor Extremum(Tensor other, string op, string name, bool larger)
    {
        ArgumentNullException.ThrowIfNull(other);
        Tensor a = this, b = other;
        ShapeCheck.Same(op, a, b);
        var z = new Tensor(new float[Count], _shape);
        // TensorPrimitives.Max/Min propagate NaN, as torch.maximum/minimum do.
        if (larger)
            TensorPrimitives.Max(a.Data, b.Data, z.Data);
        else
            TensorPrimitives.Min(a.Data, b.Data, z.Data);
        return Record(z, name, dz =>
        {
            ReadOnlySpan<float> g = dz.Data, av = a.Data, bv = b.Data;
            Span<float> ga = a.RequiresGrad ? a.GradBuffer() : default;
            Span<float> gb = b.RequiresGrad ? b.GradBuffer() : default;
            for (int i = 0; i < g.Length; i++)
            {
                // share of the gradient that a receives: 1 if a is the one picked, ½ on a tie, 0 otherwise
                float aShare = av[i] == bv[i] ? 0.5f : (larger ? av[i] > bv[i] : av[i] < bv[i]) ? 1f : 0f;
                if (!ga.IsEmpty)
                    ga[i] += aShare * g[i];   // ∂L/∂a = ∂L/∂z · [a picked]
                if (!gb.IsEmpty)
                    gb[i] += (1f - aShare) * g[i];  // ∂L/∂b = ∂L/∂z · [b picked]
            }
        }, a, b);
    }
}
