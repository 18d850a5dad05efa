using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyTorch.Kernels;

/// <summary>
/// AVX2 + FMA matmul: C in 6×16 tiles, each held in 12 ymm registers while p runs (fits the 16 registers of AVX2).
/// A is read in place in either layout; B is read in place when its rows are contiguous, otherwise each 16-column
/// panel is packed (transposed) once and reused by every row tile. No cache blocking: the 512-bit kernel has that.
/// Falls back to <see cref="MatMulVector128"/> when the CPU lacks AVX2 or FMA.
/// </summary>
internal static unsafe class MatMulVector256
{
    private const int MR = 6;
    private const int NR = 16;

    /// <summary>True when this CPU has AVX2 and FMA; otherwise every call falls back to <see cref="MatMulVector128"/>.</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>C[m,n] (+)= A·B for any strides of A [m,k] and B [k,n]; C is row-major with n columns. Without AVX2 and FMA, the 128-bit kernel.</summary>
    public static void Gemm(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        if (!IsSupported)
        {
            MatMulVector128.Gemm(a, b, c, m, k, n, accumulate);
            return;
        }
        bool packB = b.ColStride != 1;
        float* panel = packB ? MatMulPacking.BufferB(k * NR) : null;
        for (int j0 = 0; j0 < n; j0 += NR)
        {
            int cols = Math.Min(NR, n - j0);
            Vector256<float> mask0 = ColumnMask(cols), mask1 = ColumnMask(cols - 8);
            float* bPanel = b.At(0, j0);
            nint ldb = b.RowStride;
            if (packB)
            {
                MatMulPacking.Pack(new StridedMatrix(bPanel, b.RowStride, b.ColStride).Transposed, cols, k, NR, panel);
                bPanel = panel;
                ldb = NR;
            }
            for (int i0 = 0; i0 < m; i0 += MR)
                Tile(Math.Min(MR, m - i0), a.At(i0, 0), a.RowStride, a.ColStride, bPanel, ldb, c + (nint)i0 * n + j0, n, k,
                    mask0, mask1, accumulate);
        }
    }

    private static void Tile(int rows, float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc,
        int depth, Vector256<float> mask0, Vector256<float> mask1, bool addToC)
    {
        switch (rows)
        {
            case 6: Tile<Count6>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            case 5: Tile<Count5>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            case 4: Tile<Count4>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            case 3: Tile<Count3>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            case 2: Tile<Count2>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            default: Tile<Count1>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
        }
    }

    /// <summary>
    /// The micro-kernel: C[r, 0..16) (+)= Σ_p A(r,p) · B(p, 0..16) for r &lt; TRows ≤ 6, with A(r,p) = a[r·rowStride + p·depthStride]
    /// and B(p, ·) = b[p·ldb ..]; the masks switch off columns past C's right edge. Call-free loop body.
    /// </summary>
    private static void Tile<TRows>(float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc,
        int depth, Vector256<float> mask0, Vector256<float> mask1, bool addToC)
        where TRows : struct, ICount
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        if (addToC)
        {
            float* cr = c;
            c00 = Avx.MaskLoad(cr, mask0); c01 = Avx.MaskLoad(cr + 8, mask1);
            if (TRows.Value > 1) { cr += ldc; c10 = Avx.MaskLoad(cr, mask0); c11 = Avx.MaskLoad(cr + 8, mask1); }
            if (TRows.Value > 2) { cr += ldc; c20 = Avx.MaskLoad(cr, mask0); c21 = Avx.MaskLoad(cr + 8, mask1); }
            if (TRows.Value > 3) { cr += ldc; c30 = Avx.MaskLoad(cr, mask0); c31 = Avx.MaskLoad(cr + 8, mask1); }
            if (TRows.Value > 4) { cr += ldc; c40 = Avx.MaskLoad(cr, mask0); c41 = Avx.MaskLoad(cr + 8, mask1); }
            if (TRows.Value > 5) { cr += ldc; c50 = Avx.MaskLoad(cr, mask0); c51 = Avx.MaskLoad(cr + 8, mask1); }
        }

        nint rs2 = 2 * rowStride, rs3 = 3 * rowStride, rs4 = 4 * rowStride;
        for (int p = 0; p < depth; p++)
        {
            // c[r] += A(r,p) · B(p, ·)
            Vector256<float> b0 = Avx.MaskLoad(b, mask0);
            Vector256<float> b1 = Avx.MaskLoad(b + 8, mask1);
            float* a4 = a + rs4;
            Vector256<float> ar = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(ar, b0, c00); c01 = Fma.MultiplyAdd(ar, b1, c01);
            if (TRows.Value > 1) { ar = Vector256.Create(a[rowStride]); c10 = Fma.MultiplyAdd(ar, b0, c10); c11 = Fma.MultiplyAdd(ar, b1, c11); }
            if (TRows.Value > 2) { ar = Vector256.Create(a[rs2]); c20 = Fma.MultiplyAdd(ar, b0, c20); c21 = Fma.MultiplyAdd(ar, b1, c21); }
            if (TRows.Value > 3) { ar = Vector256.Create(a[rs3]); c30 = Fma.MultiplyAdd(ar, b0, c30); c31 = Fma.MultiplyAdd(ar, b1, c31); }
            if (TRows.Value > 4) { ar = Vector256.Create(a4[0]); c40 = Fma.MultiplyAdd(ar, b0, c40); c41 = Fma.MultiplyAdd(ar, b1, c41); }
            if (TRows.Value > 5) { ar = Vector256.Create(a4[rowStride]); c50 = Fma.MultiplyAdd(ar, b0, c50); c51 = Fma.MultiplyAdd(ar, b1, c51); }
            a += depthStride;
            b += ldb;
        }

        Avx.MaskStore(c, mask0, c00); Avx.MaskStore(c + 8, mask1, c01);
        if (TRows.Value > 1) { c += ldc; Avx.MaskStore(c, mask0, c10); Avx.MaskStore(c + 8, mask1, c11); }
        if (TRows.Value > 2) { c += ldc; Avx.MaskStore(c, mask0, c20); Avx.MaskStore(c + 8, mask1, c21); }
        if (TRows.Value > 3) { c += ldc; Avx.MaskStore(c, mask0, c30); Avx.MaskStore(c + 8, mask1, c31); }
        if (TRows.Value > 4) { c += ldc; Avx.MaskStore(c, mask0, c40); Avx.MaskStore(c + 8, mask1, c41); }
        if (TRows.Value > 5) { c += ldc; Avx.MaskStore(c, mask0, c50); Avx.MaskStore(c + 8, mask1, c51); }
    }

    /// <summary>Lanes [0, count) with the sign bit set (the AVX mask convention), the rest clear.</summary>
    private static Vector256<float> ColumnMask(int count) =>
        Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();
}
