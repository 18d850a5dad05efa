using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = ln x.
    /// Local gradient: ∂y/∂x = 1/x, so ∂L/∂x = ∂L/∂y / x.
    /// </summary>
    public Tensor Log()
    {
        var y = new Tensor(new float[Count], _shape);
        TensorPrimitives.Log(Data, y.Data);
        float[] x = Data;
        return Record(y, "LogBackward", dy =>
        {
            var local = new float[x.Length];
            TensorPrimitives.Divide(dy.Data, x, local);
            AccumulateGrad(local);
        }, this);
    }
}
