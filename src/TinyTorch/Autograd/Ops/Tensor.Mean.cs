using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// m = (1/n) Σᵢ xᵢ over all n elements, as a 0-dim tensor (NaN when n = 0, as in PyTorch).
    /// Local gradient: ∂m/∂xᵢ = 1/n.
    /// </summary>
    public Tensor Mean()
    {
        int n = Count;
        var m = new Tensor([TensorPrimitives.Sum(Data) / n]);
        return Record(m, "MeanBackward", dm => AccumulateGrad(dm.Data[0] / n), this);
    }

    /// <summary>
    /// m[o,i] = (1/n) Σⱼ x[o,j,i]: the mean along <paramref name="dim"/> of size n, removed from the shape
    /// unless <paramref name="keepdim"/>.
    /// Local gradient: ∂m[o,i]/∂x[o,j,i] = 1/n, so ∂L/∂m / n is spread back along the dimension.
    /// </summary>
    public Tensor Mean(int dim, bool keepdim = false)
    {
        int d = ShapeCheck.Dim("mean", this, dim);
        DimLayout layout = DimLayout.Of(_shape, d);
        var m = new Tensor(new float[layout.Outer * layout.Inner], DimLayout.ReducedShape(_shape, d, keepdim));
        SumAlong(layout, Data, m.Data);
        TensorPrimitives.Divide(m.Data, layout.Size, m.Data);
        return Record(m, "MeanBackward", dm => SpreadAlong(layout, dm.Data, 1f / layout.Size, GradBuffer()), this);
    }
}
