namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// Picks one element per row of a 2-D tensor: y[r] = x[r, index[r]] (the Q(s, a) of a batch of actions).
    /// This is PyTorch's <c>x.gather(1, index.unsqueeze(1)).squeeze(1)</c>; with <paramref name="keepdim"/> the
    /// result keeps the gathered dimension, [B,1], like <c>x.gather(1, index.unsqueeze(1))</c>.
    /// Only <paramref name="dim"/> = 1 (or −1) is supported. The indices are copied, so the caller may reuse the array.
    /// Local gradient: ∂y[r]/∂x[r,c] = 1 if c = index[r] else 0, so ∂L/∂y[r] flows to the picked element only.
    /// </summary>
    public Tensor Gather(int dim, int[] index, bool keepdim = false)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (Rank != 2)
            throw new ArgumentException($"gather: expects a 2-D tensor, got shape {FormatShape(_shape)}.");
        if (ShapeCheck.Dim("gather", this, dim) != 1)
            throw new ArgumentException($"gather: only dim 1 (one column per row) is supported, got dim {dim} for shape {FormatShape(_shape)}.");
        int rows = _shape[0], cols = _shape[1];
        if (index.Length != rows)
            throw ShapeCheck.Mismatch("gather", _shape, [index.Length], "one index per row");

        int[] picked = (int[])index.Clone();
        var y = new Tensor(new float[rows], keepdim ? [rows, 1] : [rows]);
        for (int r = 0; r < rows; r++)
        {
            int c = picked[r];
            if ((uint)c >= (uint)cols)
                throw new ArgumentOutOfRangeException(nameof(index), c,
                    $"gather: index {c} in row {r} is out of range for dimension 1 of size {cols} (valid: 0..{cols - 1}).");
            y.Data[r] = Data[r * cols + c];
        }
        return Record(y, "GatherBackward", dy =>
        {
            Span<float> gx = GradBuffer();
            for (int r = 0; r < rows; r++)
                gx[r * cols + picked[r]] += dy.Data[r];  // ∂L/∂x[r, index[r]] += ∂L/∂y[r]
        }, this);
    }
}
