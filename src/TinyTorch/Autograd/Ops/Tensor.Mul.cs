using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// z = a ⊙ b (element-wise), with broadcasting.
    /// Local gradients: ∂z/∂a = b, ∂z/∂b = a (each summed over the dimensions that input was repeated along).
    /// </summary>
    public Tensor Mul(Tensor other)
    {
        Tensor a = this, b = other;
        Tensor z = Broadcast.Forward<Broadcast.Multiply>("mul", a, b);
        return Record(z, "MulBackward", dz =>
        {
            Broadcast.AccumulateProduct(a, dz, b);  // ∂L/∂a = ∂L/∂z ⊙ b
            Broadcast.AccumulateProduct(b, dz, a);  // ∂L/∂b = ∂L/∂z ⊙ a
        }, a, b);
    }

    /// <summary>
    /// z = s·a for a constant s.
    /// Local gradient: ∂z/∂a = s.
    /// </summary>
    public Tensor Mul(float scalar)
    {
        var z = new Tensor(new float[Count], _shape);
        TensorPrimitives.Multiply(Data, scalar, z.Data);
        return Record(z, "MulBackward", dz =>
        {
            Span<float> ga = GradBuffer();
            TensorPrimitives.MultiplyAdd(dz.Data, scalar, ga, ga);  // ∂L/∂a += ∂L/∂z · s
        }, this);
    }

    /// <summary>a · b, element-wise with broadcasting (<see cref="Mul(Tensor)"/>; the matrix product is <see cref="MatMul"/>).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);

    /// <summary>a · s for every element.</summary>
    public static Tensor operator *(Tensor a, float s) => a.Mul(s);

    /// <summary>s · a for every element.</summary>
    public static Tensor operator *(float s, Tensor a) => a.Mul(s);
}
