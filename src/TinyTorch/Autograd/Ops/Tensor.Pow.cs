using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = xᵖ for a constant exponent p.
    /// Local gradient: ∂y/∂x = p·xᵖ⁻¹, so ∂L/∂x = ∂L/∂y · p·xᵖ⁻¹ (zero for p = 0, as in PyTorch, even where x = 0).
    /// </summary>
    public Tensor Pow(float exponent)
    {
        var y = new Tensor(new float[Count], _shape);
        TensorPrimitives.Pow(Data, exponent, y.Data);
        float[] x = Data;
        return Record(y, "PowBackward", dy =>
        {
            Span<float> gx = GradBuffer();
            if (exponent == 0f)
                return;  // x⁰ is constant; p·xᵖ⁻¹ would give 0·∞ = NaN at x = 0
            var local = new float[x.Length];
            TensorPrimitives.Pow(x, exponent - 1f, local);
            TensorPrimitives.Multiply(local, dy.Data, local);
            TensorPrimitives.MultiplyAdd(local, exponent, gx, gx);
        }, this);
    }

    /// <summary>
    /// y = x² (PyTorch records it as a pow, hence the name).
    /// Local gradient: ∂y/∂x = 2x, so ∂L/∂x = ∂L/∂y · 2x.
    /// </summary>
    public Tensor Square()
    {
        var y = new Tensor(new float[Count], _shape);
        TensorPrimitives.Multiply(Data, Data, y.Data);
        float[] x = Data;
        return Record(y, "PowBackward", dy =>
        {
            var local = new float[x.Length];
            TensorPrimitives.Multiply(x, dy.Data, local);
            Span<float> gx = GradBuffer();
            TensorPrimitives.MultiplyAdd(local, 2f, gx, gx);
        }, this);
    }
}
