namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// yᵀ: y[j,i] = x[i,j] for a 2-D tensor (PyTorch's <c>t()</c>), as a new contiguous tensor.
    /// Local gradient: a permutation of the elements, so ∂L/∂x = (∂L/∂y)ᵀ.
    /// </summary>
    public Tensor T()
    {
        if (Rank != 2)
            throw new ArgumentException($"t: expects a 2-D tensor, got shape {FormatShape(_shape)}.");
        int rows = _shape[0], cols = _shape[1];
        var y = new Tensor(new float[Count], cols, rows);
        Transpose(Data, y.Data, rows, cols);
        return Record(y, "TBackward", dy =>
        {
            var dx = new float[Count];
            Transpose(dy.Data, dx, cols, rows);
            AccumulateGrad(dx);
        }, this);
    }

    /// <summary>dst[j,i] = src[i,j] for src [rows, cols].</summary>
    private static void Transpose(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                dst[j * rows + i] = src[i * cols + j];
    }
}
