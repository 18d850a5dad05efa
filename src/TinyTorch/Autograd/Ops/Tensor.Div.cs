using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// z = a / b (element-wise), with broadcasting.
    /// Local gradients: ∂z/∂a = 1/b, ∂z/∂b = −a/b² = −z/b (each summed over the dimensions that input was repeated along).
    /// </summary>
    public Tensor Div(Tensor other)
    {
        Tensor a = this, b = other;
        Tensor z = Broadcast.Forward<Broadcast.Divide>("div", a, b);
        return Record(z, "DivBackward", dz =>
        {
            var local = new float[dz.Count];
            if (a.RequiresGrad)
            {
                // ∂L/∂a = ∂L/∂z / b
                Broadcast.Apply<Broadcast.Divide>(dz.Data, dz.Shape, b.Data, b.Shape, local, dz.Shape);
                Broadcast.AccumulateGrad(a, local, dz.Shape, 1f);
            }
            if (b.RequiresGrad)
            {
                // ∂L/∂b = −∂L/∂z ⊙ z / b
                TensorPrimitives.Multiply(dz.Data, z.Data, local);
                Broadcast.Apply<Broadcast.Divide>(local, dz.Shape, b.Data, b.Shape, local, dz.Shape);
                Broadcast.AccumulateGrad(b, local, dz.Shape, -1f);
            }
        }, a, b);
    }

    /// <summary>
    /// z = a / s for a constant s.
    /// Local gradient: ∂z/∂a = 1/s.
    /// </summary>
    public Tensor Div(float scalar)
    {
        var z = new Tensor(new float[Count], _shape);
        TensorPrimitives.Divide(Data, scalar, z.Data);
        return Record(z, "DivBackward", dz =>
        {
            Span<float> ga = GradBuffer();
            TensorPrimitives.MultiplyAdd(dz.Data, 1f / scalar, ga, ga);  // ∂L/∂a += ∂L/∂z · (1/s)
        }, this);
    }

    /// <summary>a / b, element-wise with broadcasting (<see cref="Div(Tensor)"/>).</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);

    /// <summary>a / s for every element.</summary>
    public static Tensor operator /(Tensor a, float s) => a.Div(s);

    /// <summary>
    /// z = s / a for a constant s.
    /// Local gradient: ∂z/∂a = −s/a² = −z/a.
    /// </summary>
    public static Tensor operator /(float s, Tensor a)
    {
        var z = new Tensor(new float[a.Count], a._shape);
        TensorPrimitives.Divide(s, a.Data, z.Data);
        return Record(z, "DivBackward", dz =>
        {
            var local = new float[dz.Count];
            TensorPrimitives.Multiply(dz.Data, z.Data, local);
            TensorPrimitives.Divide(local, a.Data, local);
            Span<float> ga = a.GradBuffer();
            TensorPrimitives.Subtract(ga, local, ga);  // ∂L/∂a −= ∂L/∂z ⊙ z / a
        }, a);
    }
}
