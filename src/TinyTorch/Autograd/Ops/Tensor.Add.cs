using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// z = a + b (same shapes).
    /// Local gradients: ∂z/∂a = 1, ∂z/∂b = 1, so both inputs receive ∂L/∂z unchanged.
    /// </summary>
    public Tensor Add(Tensor other)
    {
        ShapeCheck.Same("add", this, other);
        var z = new Tensor(new float[Count], _shape);
        TensorPrimitives.Add(Data, other.Data, z.Data);
        return Record(z, "AddBackward", dz =>
        {
            AccumulateGrad(dz.Data);        // ∂L/∂a = ∂L/∂z
            other.AccumulateGrad(dz.Data);  // ∂L/∂b = ∂L/∂z
        }, this, other);
    }

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
}
