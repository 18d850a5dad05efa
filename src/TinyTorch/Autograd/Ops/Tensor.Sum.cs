using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// s = Σᵢ xᵢ over all elements, as a 0-dim tensor.
    /// Local gradient: ∂s/∂xᵢ = 1, so every element receives ∂L/∂s.
    /// </summary>
    public Tensor Sum()
    {
        var s = new Tensor([TensorPrimitives.Sum(Data)]);
        return Record(s, "SumBackward", ds => AccumulateGrad(ds.Data[0]), this);
    }

    /// <summary>
    /// s[o,i] = Σⱼ x[o,j,i]: the sum along <paramref name="dim"/> (negative counts from the end), which is
    /// removed from the shape unless <paramref name="keepdim"/>.
    /// Local gradient: ∂s[o,i]/∂x[o,j,i] = 1, so ∂L/∂s is spread back along the summed dimension.
    /// </summary>
    public Tensor Sum(int dim, bool keepdim = false)
    {
        int d = ShapeCheck.Dim("sum", this, dim);
        DimLayout layout = DimLayout.Of(_shape, d);
        var s = new Tensor(new float[layout.Outer * layout.Inner], DimLayout.ReducedShape(_shape, d, keepdim));
        SumAlong(layout, Data, s.Data);
        return Record(s, "SumBackward", ds => SpreadAlong(layout, ds.Data, 1f, GradBuffer()), this);
    }

    /// <summary>s[o,i] = Σⱼ x[o,j,i].</summary>
    private static void SumAlong(DimLayout layout, ReadOnlySpan<float> x, Span<float> s)
    {
        (int outer, int n, int inner) = layout;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                s[o] = TensorPrimitives.Sum(x.Slice(o * n, n));
                continue;
            }
            // The summed elements are Inner apart: add whole [Inner] slices instead.
            Span<float> sRow = s.Slice(o * inner, inner);
            sRow.Clear();
            for (int j = 0; j < n; j++)
                TensorPrimitives.Add(sRow, x.Slice((o * n + j) * inner, inner), sRow);
        }
    }

    /// <summary>g[o,j,i] += scale · ds[o,i] for every j: the backward of a sum along a dim.</summary>
    private static void SpreadAlong(DimLayout layout, ReadOnlySpan<float> ds, float scale, Span<float> g)
    {
        (int outer, int n, int inner) = layout;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                Span<float> gRow = g.Slice(o * n, n);
                TensorPrimitives.Add(gRow, scale * ds[o], gRow);
                continue;
            }
            ReadOnlySpan<float> dsRow = ds.Slice(o * inner, inner);
            for (int j = 0; j < n; j++)
            {
                Span<float> gSlice = g.Slice((o * n + j) * inner, inner);
                TensorPrimitives.MultiplyAdd(dsRow, scale, gSlice, gSlice);
            }
        }
    }
}
