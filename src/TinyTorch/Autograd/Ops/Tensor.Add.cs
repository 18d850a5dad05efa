using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// z = a + b, with broadcasting (<c>[B,N] + [N]</c> adds the row to every row of the batch).
    /// Local gradients: ∂z/∂a = 1, ∂z/∂b = 1, so both inputs receive ∂L/∂z unchanged,
    /// summed over the dimensions along which they were repeated.
    /// </summary>
    public Tensor Add(Tensor other)
    {
        Tensor a = this, b = other;
        Tensor z = Broadcast.Forward<Broadcast.Add>("add", a, b);
        return Record(z, "AddBackward", dz =>
        {
            Broadcast.AccumulateGrad(a, dz.Data, dz.Shape, 1f);  // ∂L/∂a = ∂L/∂z
            Broadcast.AccumulateGrad(b, dz.Data, dz.Shape, 1f);  // ∂L/∂b = ∂L/∂z
        }, a, b);
    }

    /// <summary>
    /// z = a + s for a constant s.
    /// Local gradient: ∂z/∂a = 1.
    /// </summary>
    public Tensor Add(float scalar)
    {
        var z = new Tensor(new float[Count], _shape);
        TensorPrimitives.Add(Data, scalar, z.Data);
        return Record(z, "AddBackward", dz => AccumulateGrad(dz.Data), this);
    }

    /// <summary>a + b, element-wise with broadcasting (<see cref="Add(Tensor)"/>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    /// <summary>a + s for every element.</summary>
    public static Tensor operator +(Tensor a, float s) => a.Add(s);

    /// <summary>s + a for every element.</summary>
    public static Tensor operator +(float s, Tensor a) => a.Add(s);
}
