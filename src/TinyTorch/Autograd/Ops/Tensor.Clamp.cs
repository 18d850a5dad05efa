using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = min(max(x, lo), hi) (PyTorch's <c>clamp</c>): x pulled into [lo, hi].
    /// Local gradient: ∂y/∂x = 1 where lo ≤ x ≤ hi, else 0 (PyTorch's choice at the bounds: the gradient passes),
    /// so ∂L/∂x = ∂L/∂y · [lo ≤ x ≤ hi].
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="min"/> &gt; <paramref name="max"/> or either is NaN.</exception>
    public Tensor Clamp(float min, float max)
    {
        if (!(min <= max))
            throw new ArgumentException($"clamp: min ({min}) must be <= max ({max}).", nameof(min));
        var y = new Tensor(new float[Count], _shape);
        TensorPrimitives.Clamp(Data, min, max, y.Data);
        float[] x = Data;
        return Record(y, "ClampBackward", dy =>
        {
            // TensorPrimitives has no masked select, so the mask is a plain loop.
            Span<float> gx = GradBuffer();
            ReadOnlySpan<float> g = dy.Data;
            for (int i = 0; i < x.Length; i++)
                if (x[i] >= min && x[i] <= max)
                    gx[i] += g[i];
        }, this);
    }
}
