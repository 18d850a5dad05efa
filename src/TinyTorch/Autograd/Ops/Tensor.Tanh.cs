using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = tanh(x).
    /// Local gradient: ∂y/∂x = 1 − tanh²(x) = 1 − y², so ∂L/∂x = ∂L/∂y · (1 − y²).
    /// </summary>
    public Tensor Tanh()
    {
        var y = new Tensor(new float[Count], _shape);
        TensorPrimitives.Tanh(Data, y.Data);
        float[] yv = y.Data;
        return Record(y, "TanhBackward", dy =>
        {
            var local = new float[yv.Length];
            TensorPrimitives.Multiply(yv, yv, local);
            TensorPrimitives.Subtract(1f, local, local);
            Span<float> gx = GradBuffer();
            TensorPrimitives.MultiplyAdd(dy.Data, local, gx, gx);
        }, this);
    }
}
