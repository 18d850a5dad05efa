namespace TinyTorch.Kernels;

/// <summary>
/// A logical matrix over raw memory: element (r, c) lives at <c>Data[r·RowStride + c·ColStride]</c>.
/// One view type lets every kernel serve all three products without materialising a transpose:
/// a row-major [rows, cols] matrix has strides (cols, 1); the transpose of a row-major [cols, rows] matrix has strides (1, rows).
/// </summary>
internal readonly unsafe struct StridedMatrix(float* data, nint rowStride, nint colStride)
{
    public float* Data { get; } = data;

    public nint RowStride { get; } = rowStride;

    public nint ColStride { get; } = colStride;

    /// <summary>The view of this matrix's transpose (same memory, strides swapped).</summary>
    public StridedMatrix Transposed => new(Data, ColStride, RowStride);

    /// <summary>Address of element (row, col).</summary>
    public float* At(nint row, nint col) => Data + row * RowStride + col * ColStride;
}
