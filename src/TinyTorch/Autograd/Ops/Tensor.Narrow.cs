namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch's <c>x.narrow(dim, start, length)</c>, the slice <c>x[..., start:start + length, ...]</c> along
    /// <paramref name="dim"/>, as a new tensor (a copy: TinyTorch has no views with strides):
    ///   y[o, j, i] = x[o, start + j, i] for j in [0, length).
    /// Local gradient: ∂y[o,j,i]/∂x[o,start+j,i] = 1, so ∂L/∂y is added back into the slice it came from and the rest
    /// of x gets nothing. This is how a dueling network splits its output into V = out[:, :1] and A = out[:, 1:].
    /// </summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = ShapeCheck.Dim("narrow", this, dim);
        DimLayout x = DimLayout.Of(_shape, d);
        if (start < 0 || length < 0 || start > x.Size - length)
            throw new ArgumentOutOfRangeException(nameof(start), start,
                $"narrow: start {start} and length {length} do not fit in dimension {d} of size {x.Size} (shape {FormatShape(_shape)}).");
        int[] shape = (int[])_shape.Clone();
        shape[d] = length;
        var y = new Tensor(new float[x.Outer * length * x.Inner], shape);
        int block = length * x.Inner;
        for (int o = 0; o < x.Outer; o++)
            Data.AsSpan((o * x.Size + start) * x.Inner, block).CopyTo(y.Data.AsSpan(o * block, block));
        return Record(y, "NarrowBackward", dy =>
        {
            Span<float> gx = GradBuffer();
            for (int o = 0; o < x.Outer; o++)
            {
                // ∂L/∂x[o, start + j, i] += ∂L/∂y[o, j, i]
                Span<float> slice = gx.Slice((o * x.Size + start) * x.Inner, block);
                System.Numerics.Tensors.TensorPrimitives.Add(slice, dy.Data.AsSpan(o * block, block), slice);
            }
        }, this);
    }
}
