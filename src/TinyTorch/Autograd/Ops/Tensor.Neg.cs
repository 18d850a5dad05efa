using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = −x.
    /// Local gradient: ∂y/∂x = −1.
    /// </summary>
    public Tensor Neg()
    {
        var y = new Tensor(new float[Count], _shape);
        TensorPrimitives.Negate(Data, y.Data);
        return Record(y, "NegBackward", dy =>
        {
            Span<float> gx = GradBuffer();
            TensorPrimitives.Subtract(gx, dy.Data, gx);  // ∂L/∂x −= ∂L/∂y
        }, this);
    }

    /// <summary>−x (<see cref="Neg"/>).</summary>
    public static Tensor operator -(Tensor x) => x.Neg();
}
