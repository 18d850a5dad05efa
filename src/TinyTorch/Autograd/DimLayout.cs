namespace TinyTorch;

/// <summary>
/// A contiguous tensor seen around one dimension d as [Outer, Size, Inner]: Outer is the product of the
/// dims before d, Size = shape[d], Inner the product of the dims after it. Element (o, j, i) sits at
/// (o·Size + j)·Inner + i, and the result of reducing d is laid out as [Outer, Inner].
/// Every op "along a dim" (sum, mean, max, log_softmax) works on this view.
/// </summary>
internal readonly record struct DimLayout(int Outer, int Size, int Inner)
{
    public static DimLayout Of(ReadOnlySpan<int> shape, int dim)
    {
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.Length; d++) inner *= shape[d];
        return new DimLayout(outer, shape[dim], inner);
    }

    /// <summary>The shape after reducing <paramref name="dim"/>: removed, or kept with size 1.</summary>
    public static int[] ReducedShape(ReadOnlySpan<int> shape, int dim, bool keepdim)
    {
        var reduced = new int[keepdim ? shape.Length : shape.Length - 1];
        for (int d = 0, r = 0; d < shape.Length; d++)
        {
            if (d != dim)
                reduced[r++] = shape[d];
            else if (keepdim)
                reduced[r++] = 1;
        }
        return reduced;
    }
}
