using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = max(x, 0).
    /// Local gradient: ∂y/∂x = 1 where x &gt; 0, else 0 (PyTorch's choice at x = 0), so ∂L/∂x = ∂L/∂y · [x &gt; 0].
    /// </summary>
    public Tensor Relu()
    {
        var y = new Tensor(new float[Count], _shape);
        TensorPrimitives.Max(Data, 0f, y.Data);
        float[] x = Data;
        return Record(y, "ReluBackward", dy =>
        {
            // TensorPrimitives has no masked select, so the mask is a plain loop.
            Span<float> gx = GradBuffer();
            ReadOnlySpan<float> g = dy.Data;
            for (int i = 0; i < x.Length; i++)
                if (x[i] > 0f)
                    gx[i] += g[i];
        }, this);
    }
}
