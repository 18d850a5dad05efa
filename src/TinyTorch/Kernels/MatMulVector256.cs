using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyTorch.Kernels;

/// <summary>
/// AVX2 + FMA matmul: C in 6×16 tiles, each held in 12 ymm registers while p runs, which leaves 3 of the 16 ymm
/// registers for the two B vectors and one broadcast of A, so nothing spills (a mask in the loop would be a 17th).
/// B is cut into depth blocks of <see cref="KC"/> and each block into 16-column panels, packed (zeros past C's right
/// edge, see <see cref="MatMulPacking.Pack"/>) so a panel is 64-byte rows read straight from L1 by every row tile: no
/// masked loads, and no cache-set conflicts from B's own row stride. A is read in place in either layout (its rows
/// stream through once per panel). A tile at C's right edge works on a scratch tile and writes back only the columns
/// inside C. Falls back to <see cref="MatMulVector128"/> when the CPU lacks AVX2 or FMA.
/// </summary>
internal static unsafe class MatMulVector256
{
    /// <summary>Tile height: rows of C per tile (6 rows × 2 vectors = 12 accumulators).</summary>
    private const int MR = 6;

    /// <summary>Tile width: columns of C per tile, and the width of a packed B panel (two 8-float vectors).</summary>
    private const int NR = 16;

    /// <summary>Depth of a packed panel: KC × 16 floats (16 KB) stay in L1 while the row tiles sweep down C.</summary>
    internal const int KC = 256;

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
        float* panel = MatMulPacking.BufferB(Math.Min(KC, k) * NR);
        float* scratch = stackalloc float[MR * NR];
        // With one row tile each panel is read once, so packing would cost what it saves: a full panel of contiguous B rows is then read in place.
        bool inPlace = b.ColStride == 1 && m <= MR;
        for (int pc = 0; pc < k; pc += KC)
        {
            int kc = Math.Min(KC, k - pc);
            bool addToC = accumulate || pc > 0;
            for (int j0 = 0; j0 < n; j0 += NR)
            {
                int cols = Math.Min(NR, n - j0);
                float* bPanel = b.At(pc, j0);
                nint ldb = b.RowStride;
                if (!inPlace || cols < NR)
                {
                    MatMulPacking.Pack(new StridedMatrix(bPanel, b.ColStride, b.RowStride), cols, kc, NR, panel);
                    bPanel = panel;
                    ldb = NR;
                }
                Tiles(m, a.At(0, pc), a.RowStride, a.ColStride, bPanel, ldb, c + j0, n, cols, kc, addToC, scratch);
            }
        }
    }

    /// <summary>
    /// A column panel of C, <paramref name="rows"/> high and up to 16 wide: full 6-row tiles in one micro-kernel call
    /// (the row loop runs inside it), then the leftover rows with a kernel compiled for exactly that many.
    /// </summary>
    private static void Tiles(int rows, float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc,
        int cols, int depth, bool addToC, float* scratch)
    {
        int full = rows / MR;
        if (full > 0)
            Tile<Count6>(full, a, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, scratch);
        a += full * MR * rowStride;
        c += full * MR * ldc;
        switch (rows % MR)
        {
            case 5: Tile<Count5>(1, a, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, scratch); break;
            case 4: Tile<Count4>(1, a, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, scratch); break;
            case 3: Tile<Count3>(1, a, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, scratch); break;
            case 2: Tile<Count2>(1, a, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, scratch); break;
            case 1: Tile<Count1>(1, a, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, scratch); break;
        }
    }

    /// <summary>
    /// The micro-kernel: C[r, 0..16) (+)= Σ_p A(r,p) · B(p, 0..16) for r &lt; TRows ≤ 6, with A(r,p) = a[r·rowStride + p·depthStride]
    /// and B(p, ·) = b[p·ldb ..] (a packed panel, or B's own rows), for <paramref name="tiles"/> tiles down C. With fewer than 16 columns
    /// left, C's rows are staged in <paramref name="scratch"/> (16 wide) and only <paramref name="cols"/> columns are
    /// written back. Call-free loop body.
    /// </summary>
    private static void Tile<TRows>(int tiles, float* aTile, nint rowStride, nint depthStride, float* b, nint ldb, float* cTile, nint ldc,
        int cols, int depth, bool addToC, float* scratch)
        where TRows : struct, ICount
    {
        nint rs2 = 2 * rowStride, rs3 = 3 * rowStride, rs4 = 4 * rowStride;
        for (int t = 0; t < tiles; t++, aTile += MR * rowStride, cTile += MR * ldc)
        {
            float* target = cTile;
            nint ldt = ldc;
            if (cols < NR)
            {
                if (addToC)
                    for (int r = 0; r < TRows.Value; r++)
                        for (int j = 0; j < NR; j++)
                            scratch[r * NR + j] = j < cols ? cTile[r * ldc + j] : 0f;
                target = scratch;
                ldt = NR;
            }

            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            if (addToC)
            {
                float* cr = target;
                c00 = Vector256.Load(cr); c01 = Vector256.Load(cr + 8);
                if (TRows.Value > 1) { cr += ldt; c10 = Vector256.Load(cr); c11 = Vector256.Load(cr + 8); }
                if (TRows.Value > 2) { cr += ldt; c20 = Vector256.Load(cr); c21 = Vector256.Load(cr + 8); }
                if (TRows.Value > 3) { cr += ldt; c30 = Vector256.Load(cr); c31 = Vector256.Load(cr + 8); }
                if (TRows.Value > 4) { cr += ldt; c40 = Vector256.Load(cr); c41 = Vector256.Load(cr + 8); }
                if (TRows.Value > 5) { cr += ldt; c50 = Vector256.Load(cr); c51 = Vector256.Load(cr + 8); }
            }

            float* a = aTile, bp = b;
            for (int p = 0; p < depth; p++)
            {
                // c[r] += A(r,p) · B(p, ·)
                Vector256<float> b0 = Vector256.Load(bp), b1 = Vector256.Load(bp + 8);
                float* a4 = a + rs4;
                Vector256<float> ar = Vector256.Create(a[0]);
                c00 = Fma.MultiplyAdd(ar, b0, c00); c01 = Fma.MultiplyAdd(ar, b1, c01);
                if (TRows.Value > 1) { ar = Vector256.Create(a[rowStride]); c10 = Fma.MultiplyAdd(ar, b0, c10); c11 = Fma.MultiplyAdd(ar, b1, c11); }
                if (TRows.Value > 2) { ar = Vector256.Create(a[rs2]); c20 = Fma.MultiplyAdd(ar, b0, c20); c21 = Fma.MultiplyAdd(ar, b1, c21); }
                if (TRows.Value > 3) { ar = Vector256.Create(a[rs3]); c30 = Fma.MultiplyAdd(ar, b0, c30); c31 = Fma.MultiplyAdd(ar, b1, c31); }
                if (TRows.Value > 4) { ar = Vector256.Create(a4[0]); c40 = Fma.MultiplyAdd(ar, b0, c40); c41 = Fma.MultiplyAdd(ar, b1, c41); }
                if (TRows.Value > 5) { ar = Vector256.Create(a4[rowStride]); c50 = Fma.MultiplyAdd(ar, b0, c50); c51 = Fma.MultiplyAdd(ar, b1, c51); }
                a += depthStride;
                bp += ldb;
            }

            float* ct = target;
            Vector256.Store(c00, ct); Vector256.Store(c01, ct + 8);
            if (TRows.Value > 1) { ct += ldt; Vector256.Store(c10, ct); Vector256.Store(c11, ct + 8); }
            if (TRows.Value > 2) { ct += ldt; Vector256.Store(c20, ct); Vector256.Store(c21, ct + 8); }
            if (TRows.Value > 3) { ct += ldt; Vector256.Store(c30, ct); Vector256.Store(c31, ct + 8); }
            if (TRows.Value > 4) { ct += ldt; Vector256.Store(c40, ct); Vector256.Store(c41, ct + 8); }
            if (TRows.Value > 5) { ct += ldt; Vector256.Store(c50, ct); Vector256.Store(c51, ct + 8); }

            if (cols < NR)
                for (int r = 0; r < TRows.Value; r++)
                    new ReadOnlySpan<float>(scratch + r * NR, cols).CopyTo(new Span<float>(cTile + r * ldc, cols));
        }
    }
}
