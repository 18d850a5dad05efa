using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// z = a − b, with broadcasting.
    /// Local gradients: ∂z/∂a = 1, ∂z/∂b = −1 (summed over the dimensions an input was repeated along).
    /// </summary>
    public Tensor Sub(Tensor other)
    {
        Tensor a = this, b = other;
        Tensor z = Broadcast.Forward<Broadcast.Subtract>("sub", a, b);
        return Record(z, "SubBackward", dz =>
        {
            Broadcast.AccumulateGrad(a, dz.Data, dz.Shape, 1f);   // ∂L/∂a = ∂L/∂z
            Broadcast.AccumulateGrad(b, dz.Data, dz.Shape, -1f);  // ∂L/∂b = −∂L/∂z
        }, a, b);
    }

    /// <summary>
    /// z = a − s for a constant s.
    /// Local gradient: ∂z/∂a = 1.
    /// </summary>
    public Tensor Sub(float scalar)
    {
        var z = new Tensor(new float[Count], _shape);
        TensorPrimitives.Subtract(Data, scalar, z.Data);
        return Record(z, "SubBackward", dz => AccumulateGrad(dz.Data), this);
    }

    /// <summary>a − b, element-wise with broadcasting (<see cref="Sub(Tensor)"/>).</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);

    /// <summary>a − s for every element.</summary>
    public static Tensor operator -(Tensor a, float s) => a.Sub(s);

    /// <summary>
    /// z = s − a for a constant s (PyTorch's <c>rsub</c>).
    /// Local gradient: ∂z/∂a = −1.
    /// </summary>
    public static Tensor operator -(float s, Tensor a)
    {
        var z = new Tensor(new float[a.Count], a._shape);
        TensorPrimitives.Subtract(s, a.Data, z.Data);
        return Record(z, "RsubBackward", dz =>
        {
            Span<float> ga = a.GradBuffer();
            TensorPrimitives.Subtract(ga, dz.Data, ga);  // ∂L/∂a −= ∂L/∂z
        }, a);
    }
}
