using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = σ(x) = 1 / (1 + e^−x).
    /// Local gradient: ∂y/∂x = σ(x)·(1 − σ(x)) = y·(1 − y), so ∂L/∂x = ∂L/∂y · y·(1 − y).
    /// </summary>
    public Tensor Sigmoid()
    {
        var y = new Tensor(new float[Count], _shape);
        TensorPrimitives.Sigmoid(Data, y.Data);
        float[] yv = y.Data;
        return Record(y, "SigmoidBackward", dy =>
        {
            var local = new float[yv.Length];
            TensorPrimitives.Subtract(1f, yv, local);
            TensorPrimitives.Multiply(yv, local, local);
            Span<float> gx = GradBuffer();
            TensorPrimitives.MultiplyAdd(dy.Data, local, gx, gx);
        }, this);
    }
}
