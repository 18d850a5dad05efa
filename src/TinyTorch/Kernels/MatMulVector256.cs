using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyTorch.Kernels;

/// <summary>
/// AVX2 + FMA matmul, laid out like the 512-bit kernel at half the width.
/// <list type="bullet">
/// <item>Blocked: C in 6×16 tiles, each held in 12 ymm registers while p runs; with the two B vectors and one broadcast
/// of A that is 15 of the 16 ymm registers, so nothing spills (column masks in the loop would push it past 16: a mask
/// was spilled and reloaded on every step). B is cut into depth blocks of <see cref="KC"/> and each block into
/// 16-column panels, packed with zeros past C's right edge (<see cref="MatMulPacking.Pack"/>), so every row tile reads a
/// panel as 64-byte rows from L1 with plain loads, free of cache-set conflicts from B's own row stride. A is read in
/// place in either layout. A tile at C's right edge works on a scratch tile and writes back only the columns inside C.</item>
/// <item>Dot products: when C has at most <see cref="DotMaxColumns"/> columns and A's rows run along p, each C element
/// is a dot product vectorised along p, 8 p's per FMA, instead of a tile that would be mostly padding.</item>
/// <item>Transposed output: for Aᵀ·B with at most <see cref="DotMaxColumns"/> columns, Cᵀ = Bᵀ·Aᵀ is computed in tiles
/// (the rows of A's storage run along C's rows) and each tile is written back transposed.</item>
/// </list>
/// Falls back to <see cref="MatMulVector128"/> when the CPU lacks AVX2 or FMA.
/// </summary>
internal static unsafe class MatMulVector256
{
    /// <summary>Tile height: rows of C per tile (6 rows × 2 vectors = 12 accumulators).</summary>
    private const int MR = 6;

    /// <summary>Tile width: columns of C per tile, and the width of a packed B panel (two 8-float vectors).</summary>
    private const int NR = 16;

    /// <summary>Depth of a packed panel: KC × 16 floats (16 KB) stay in L1 while the row tiles sweep down C.</summary>
    internal const int KC = 256;

    /// <summary>
    /// C with at most this many columns is too narrow for a 16-wide tile: it is computed as dot products (A's rows
    /// contiguous) or as tiles of Cᵀ (A stored transposed).
    /// </summary>
    private const int DotMaxColumns = 4;

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
        if (n <= DotMaxColumns && a.ColStride == 1 && k >= 8)
            DotProducts(a, MatMulPacking.ContiguousRows(b.Transposed, n, k), c, m, k, n, accumulate);
        else if (n <= DotMaxColumns && a.RowStride == 1 && m >= NR)
            TransposedOutput(a, b, c, m, k, n, accumulate);
        else
            Blocked(a, b, c, m, k, n, accumulate);
    }

    /// <summary>
    /// The 6×16 tiles over depth blocks of <see cref="KC"/> (loop order pc, jr, ir): each 16-column panel of the block is
    /// packed once and read by every row tile.
    /// </summary>
    [SkipLocalsInit]
    private static void Blocked(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        float* panel = null;
        float* scratch = stackalloc float[MR * NR];
        // With one row tile each panel is read once and packing would cost what it saves: full panels of contiguous B
        // rows are then read in place.
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
                    if (panel == null)
                        panel = MatMulPacking.BufferB(Math.Min(KC, k) * NR);
                    MatMulPacking.Pack(new StridedMatrix(bPanel, b.ColStride, b.RowStride), cols, kc, NR, panel);
                    bPanel = panel;
                    ldb = NR;
                }
                Tiles(m, a.At(0, pc), a.RowStride, a.ColStride, bPanel, ldb, c + j0, n, cols, kc, addToC, scratch);
            }
        }
    }

    /// <summary>
    /// Cᵀ = Bᵀ·Aᵀ for A stored transposed (so Aᵀ's rows are contiguous) and C with at most 4 columns: Cᵀ has at most 4
    /// rows, so each 16 of its columns (16 rows of C) take one tile, computed into a scratch tile and stored transposed.
    /// </summary>
    [SkipLocalsInit]
    private static void TransposedOutput(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        StridedMatrix bt = b.Transposed, at = a.Transposed;
        float* tile = stackalloc float[MR * NR];
        for (int i0 = 0; i0 < m; i0 += NR)
        {
            int cols = Math.Min(NR, m - i0);
            float* panel = at.At(0, i0);
            nint ldb = at.RowStride;
            if (cols < NR)
            {
                float* packed = MatMulPacking.BufferB(k * NR);
                MatMulPacking.Pack(new StridedMatrix(panel, at.ColStride, at.RowStride), cols, k, NR, packed);
                panel = packed;
                ldb = NR;
            }
            Tiles(n, bt.Data, bt.RowStride, bt.ColStride, panel, ldb, tile, NR, NR, k, addToC: false, scratch: null);
            for (int r = 0; r < n; r++)
                for (int i = 0; i < cols; i++)
                {
                    float* target = c + (nint)(i0 + i) * n + r;
                    *target = accumulate ? *target + tile[r * NR + i] : tile[r * NR + i];
                }
        }
    }

    /// <summary>
    /// C[i,j] (+)= Σ_p A(i,p)·Bᵀ(j,p) with the rows of A and Bᵀ contiguous along p: each element a dot product, computed
    /// in blocks of 4 rows × 2 columns, 8 p's per FMA.
    /// </summary>
    private static void DotProducts(StridedMatrix a, StridedMatrix bt, float* c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i += 4)
            for (int j = 0; j < n; j += 2)
                DotBlock(Math.Min(4, m - i), Math.Min(2, n - j), a.At(i, 0), a.RowStride, bt.At(j, 0), bt.RowStride,
                    c + (nint)i * n + j, n, k, accumulate);
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

    private static void DotBlock(int rows, int cols, float* a, nint lda, float* bt, nint ldbt, float* c, nint ldc, int k, bool accumulate)
    {
        if (cols == 2)
            DotBlock<Count2>(rows, a, lda, bt, ldbt, c, ldc, k, accumulate);
        else
            DotBlock<Count1>(rows, a, lda, bt, ldbt, c, ldc, k, accumulate);
    }

    private static void DotBlock<TCols>(int rows, float* a, nint lda, float* bt, nint ldbt, float* c, nint ldc, int k, bool accumulate)
        where TCols : struct, ICount
    {
        switch (rows)
        {
            case 4: DotBlock<Count4, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 3: DotBlock<Count3, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 2: DotBlock<Count2, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            default: DotBlock<Count1, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
        }
    }

    /// <summary>
    /// C[r,j] (+)= Σ_p a[r·lda + p]·bt[j·ldbt + p] for r &lt; TRows ≤ 4, j &lt; TCols ≤ 2: one accumulator per element,
    /// each holding 8 partial sums while p runs 8 at a time (the last step masked; masked loads never touch memory past
    /// k). The sums are then reduced four at a time in row-major order. Call-free loop body.
    /// </summary>
    private static void DotBlock<TRows, TCols>(float* a, nint lda, float* bt, nint ldbt, float* c, nint ldc, int k, bool accumulate)
        where TRows : struct, ICount
        where TCols : struct, ICount
    {
        Vector256<float> s00 = default, s01 = default, s10 = default, s11 = default;
        Vector256<float> s20 = default, s21 = default, s30 = default, s31 = default;
        Vector256<float> mask = Vector256<float>.AllBitsSet;
        for (int p = 0; p < k; p += 8)
        {
            if (k - p < 8)
                mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(k - p)).AsSingle();
            // s[r][j] += A(r, p..p+8) ⊙ Bᵀ(j, p..p+8)
            Vector256<float> b0 = Avx.MaskLoad(bt + p, mask);
            Vector256<float> b1 = TCols.Value > 1 ? Avx.MaskLoad(bt + ldbt + p, mask) : default;
            float* ap = a + p;
            Vector256<float> ar = Avx.MaskLoad(ap, mask);
            s00 = Fma.MultiplyAdd(ar, b0, s00);
            if (TCols.Value > 1) s01 = Fma.MultiplyAdd(ar, b1, s01);
            if (TRows.Value > 1)
            {
                ar = Avx.MaskLoad(ap + lda, mask);
                s10 = Fma.MultiplyAdd(ar, b0, s10);
                if (TCols.Value > 1) s11 = Fma.MultiplyAdd(ar, b1, s11);
            }
            if (TRows.Value > 2)
            {
                ar = Avx.MaskLoad(ap + 2 * lda, mask);
                s20 = Fma.MultiplyAdd(ar, b0, s20);
                if (TCols.Value > 1) s21 = Fma.MultiplyAdd(ar, b1, s21);
            }
            if (TRows.Value > 3)
            {
                ar = Avx.MaskLoad(ap + 3 * lda, mask);
                s30 = Fma.MultiplyAdd(ar, b0, s30);
                if (TCols.Value > 1) s31 = Fma.MultiplyAdd(ar, b1, s31);
            }
        }

        if (TCols.Value == 2)
        {
            // [C(0,0), C(0,1), C(1,0), C(1,1)], then rows 2-3.
            Vector128<float> top = Sum4(s00, s01, s10, s11), bottom = Sum4(s20, s21, s30, s31);
            Scatter(top, c, ldc, 2, Math.Min(TRows.Value, 2) * 2, accumulate);
            if (TRows.Value > 2) Scatter(bottom, c + 2 * ldc, ldc, 2, (TRows.Value - 2) * 2, accumulate);
        }
        else
        {
            // [C(0,0), C(1,0), C(2,0), C(3,0)].
            Scatter(Sum4(s00, s10, s20, s30), c, ldc, 1, TRows.Value, accumulate);
        }
    }

    /// <summary>
    /// Element q &lt; count of <paramref name="sums"/> is C(q / perRow, q % perRow), added to or stored at
    /// c[(q / perRow)·ldc + q % perRow]. Inlined: a call after a dot loop can make RyuJIT spill its accumulators.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter(Vector128<float> sums, float* c, nint ldc, int perRow, int count, bool accumulate)
    {
        for (int q = 0; q < count; q++)
        {
            float* target = c + q / perRow * ldc + q % perRow;
            *target = accumulate ? *target + sums.GetElement(q) : sums.GetElement(q);
        }
    }

    /// <summary>
    /// [Σ x0, Σ x1, Σ x2, Σ x3]: two rounds of horizontal adds leave, in each 128-bit half, the four sums of that half's
    /// lanes; the halves are then added.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sum4(Vector256<float> x0, Vector256<float> x1, Vector256<float> x2, Vector256<float> x3)
    {
        // hadd(x0, x1) = [x0₀+x0₁, x0₂+x0₃, x1₀+x1₁, x1₂+x1₃ | the same for lanes 4..7]
        Vector256<float> y = Avx.HorizontalAdd(Avx.HorizontalAdd(x0, x1), Avx.HorizontalAdd(x2, x3));
        return y.GetLower() + y.GetUpper();
    }
}
