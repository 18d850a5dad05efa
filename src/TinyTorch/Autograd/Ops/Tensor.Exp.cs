using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = eˣ.
    /// Local gradient: ∂y/∂x = eˣ = y, so ∂L/∂x = ∂L/∂y · y.
    /// </summary>
    public Tensor Exp()
    {
        var y = new Tensor(new float[Count], _shape);
        TensorPrimitives.Exp(Data, y.Data);
        float[] yv = y.Data;
        return Record(y, "ExpBackward", dy =>
        {
            Span<float> gx = GradBuffer();
            TensorPrimitives.MultiplyAdd(dy.Data, yv, gx, gx);
        }, this);
    }
}
