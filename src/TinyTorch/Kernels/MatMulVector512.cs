using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyTorch.Kernels;

/// <summary>
/// AVX-512 matmul laid out like BLIS (Goto's algorithm), plus two shortcuts for the skinny shapes of a small DQN.
/// <list type="bullet">
/// <item>Blocked: C is computed in 8×32 tiles, each held in 16 zmm registers while p runs (<see cref="Tile{TRows}"/>;
/// 4×64 tiles when C has at most 4 rows, <see cref="WideTile{TRows}"/>). Large problems are cut into kc×nc blocks of B
/// (packed, kept in L2/L3) and mc×kc blocks of A (packed, kept in L2), so the B panel a tile reads stays in L1.
/// Small problems skip packing and read A and B in place (B is packed only when its rows are not contiguous).</item>
/// <item>Dot products: when C has at most <see cref="DotMaxColumns"/> columns, or is one row of A times Bᵀ,
/// and the operands run along p, each C element is a dot product vectorised along p, 16 p's per FMA,
/// instead of a tile that would be mostly padding.</item>
/// <item>Transposed output: for Aᵀ·B with at most <see cref="DotMaxColumns"/> columns, Cᵀ = Bᵀ·A is computed in wide tiles
/// (the rows of A's storage run along C's rows) and each tile is written back transposed.</item>
/// </list>
/// Falls back to <see cref="MatMulVector256"/> when the CPU lacks AVX-512.
/// </summary>
internal static unsafe class MatMulVector512
{
    /// <summary>Tile height: rows of C per micro-kernel call (8 rows × 2 vectors = 16 accumulators).</summary>
    private const int MR = 8;

    /// <summary>Tile width: columns of C per micro-kernel call (two 16-float vectors).</summary>
    private const int NR = 32;

    /// <summary>Depth of a packed block: a 32-wide B panel of KC rows (32 KB) stays in the 48 KB L1.</summary>
    internal const int KC = 256;

    /// <summary>Rows of a packed A block: MC×KC floats (128 KB) stay in L2.</summary>
    internal const int MC = 128;

    /// <summary>Columns of a packed B block: KC×NC floats (2 MB) at most.</summary>
    internal const int NC = 2048;

    /// <summary>
    /// Below about 400³ multiply-adds, A read in place is as fast as packed or faster (measured: 4% faster at 256³,
    /// equal at 384³); at 512³ packing wins 5%.
    /// </summary>
    internal const long PackAThreshold = 400L * 400 * 400;

    /// <summary>Rows of a wide tile, used when C has at most this many rows (4 rows × 4 vectors = 16 accumulators).</summary>
    private const int WideMR = 4;

    /// <summary>Columns of a wide tile (four 16-float vectors).</summary>
    private const int WideNR = 64;

    /// <summary>
    /// C with at most this many columns is too narrow for a 32- or 64-wide tile: it is computed as dot products
    /// (A's rows contiguous) or as tiles of Cᵀ (A stored transposed).
    /// </summary>
    private const int DotMaxColumns = 4;

    /// <summary>True when this CPU runs 512-bit vectors natively; otherwise every call falls back to <see cref="MatMulVector256"/>.</summary>
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>C[m,n] (+)= A·B for any strides of A [m,k] and B [k,n]; C is row-major with n columns. Without AVX-512, the 256-bit kernel.</summary>
    public static void Gemm(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        if (!IsSupported)
        {
            MatMulVector256.Gemm(a, b, c, m, k, n, accumulate);
            return;
        }
        StridedMatrix bt = b.Transposed;
        if (m == 1 && a.ColStride == 1 && bt.ColStride == 1 && k >= 16)
            DotProducts(bt, a, c, n, k, 1, 1, accumulate);
        else if (n <= DotMaxColumns && a.ColStride == 1 && k >= 16)
            DotProducts(a, MatMulPacking.ContiguousRows(bt, n, k), c, m, k, n, n, accumulate);
        else if (n <= DotMaxColumns && a.RowStride == 1 && m >= 16)
            TransposedOutput(a, b, c, m, k, n, accumulate);
        else
            Blocked(a, b, c, m, k, n, accumulate);
    }

    /// <summary>
    /// A layer's forward in one pass: C = A·B + bias (per column), then max(·, 0) when <paramref name="relu"/>, with the
    /// bias and the activation applied to each tile in registers as it is stored, after its full sum (the same
    /// operations, in the same order, as the product followed by a separate pass). Only for shapes that run on the 8-row
    /// tiles (more than 4 rows and columns, k ≥ 1, AVX-512); returns false, doing nothing, for any other.
    /// </summary>
    public static bool TryLinear(StridedMatrix a, StridedMatrix b, float* bias, float* c, int m, int k, int n, bool relu) =>
        TryTiles(a, b, c, m, k, n, new TileEpilogue(bias, false, relu, null, null));

    /// <summary>
    /// <see cref="TryLinear"/> with the bias added per row of C instead of per column: a layer computed feature-major,
    /// Yᵀ = W·Xᵀ + b, where each row of C is one output feature. Same shapes; false, doing nothing, for any other.
    /// </summary>
    public static bool TryLinearRowBias(StridedMatrix a, StridedMatrix b, float* bias, float* c, int m, int k, int n, bool relu) =>
        TryTiles(a, b, c, m, k, n, new TileEpilogue(bias, true, relu, null, null));

    /// <summary>
    /// A layer's input gradient fused with the backward of the layer below: C = A·B, then C ⊙ [h &gt; 0] when
    /// <paramref name="reluOutput"/> h [m, n] (row-major like C) is given, then columnSums[j] += Σ_i C[i, j] when
    /// <paramref name="columnSums"/> is given, row by row in order, each tile in registers after its full sum (the same
    /// operations, in the same order, as the product followed by a separate pass). Same shapes as <see cref="TryLinear"/>;
    /// returns false, doing nothing, for any other.
    /// </summary>
    public static bool TryLinearBackward(StridedMatrix a, StridedMatrix b, float* reluOutput, float* columnSums, float* c, int m, int k, int n) =>
        TryTiles(a, b, c, m, k, n, new TileEpilogue(null, false, false, reluOutput, columnSums));

    /// <summary>
    /// C = A·B with <paramref name="epilogue"/> applied to each tile, when the product runs on the 8-row tiles, the only
    /// place an epilogue is applied (more than 4 rows and columns, k ≥ 1, AVX-512); false, doing nothing, otherwise.
    /// </summary>
    private static bool TryTiles(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, TileEpilogue epilogue)
    {
        if (!IsSupported || m <= WideMR || n <= DotMaxColumns || k == 0)
            return false;
        Blocked(a, b, c, m, k, n, accumulate: false, epilogue);
        return true;
    }

    /// <summary>
    /// The three-level cache blocking around the register tiles (BLIS loop order jc, pc, ic, jr, ir). With an
    /// <paramref name="epilogue"/> (8-row tiles only), the last depth block applies it to each tile.
    /// </summary>
    private static void Blocked(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate,
        TileEpilogue epilogue = default)
    {
        bool wide = m <= WideMR;
        int panelWidth = wide ? WideNR : NR;
        bool packA = (long)m * k * n >= PackAThreshold;
        bool packB = packA || b.ColStride != 1;
        float* bPanels = packB ? MatMulPacking.BufferB(Math.Min(KC, k) * RoundUp(Math.Min(NC, n), panelWidth)) : null;
        float* aPanels = packA ? MatMulPacking.BufferA(Math.Min(KC, k) * RoundUp(Math.Min(MC, m), MR)) : null;

        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                bool addToC = accumulate || pc > 0;
                TileEpilogue blockEpilogue = pc + kc == k ? epilogue : default;

                // B block: kc × nc, packed into panels one tile wide, or read in place when its rows are contiguous.
                float* bBlock;
                nint ldb, bPanelStride;
                if (packB)
                {
                    MatMulPacking.Pack(Offset(b, pc, jc).Transposed, nc, kc, panelWidth, bPanels);
                    bBlock = bPanels;
                    ldb = panelWidth;
                    bPanelStride = (nint)kc * panelWidth;
                }
                else
                {
                    bBlock = b.At(pc, jc);
                    ldb = b.RowStride;
                    bPanelStride = panelWidth;
                }

                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);

                    // A block: mc × kc, packed into 8-row panels, or read in place with its own strides.
                    float* aBlock;
                    nint rowStride, depthStride, aPanelStride;
                    if (packA)
                    {
                        MatMulPacking.Pack(Offset(a, ic, pc), mc, kc, MR, aPanels);
                        aBlock = aPanels;
                        rowStride = 1;
                        depthStride = MR;
                        aPanelStride = (nint)kc * MR;
                    }
                    else
                    {
                        aBlock = a.At(ic, pc);
                        rowStride = a.RowStride;
                        depthStride = a.ColStride;
                        aPanelStride = MR * a.RowStride;
                    }

                    for (int jr = 0; jr < nc; jr += panelWidth)
                    {
                        int cols = Math.Min(panelWidth, nc - jr);
                        float* bPanel = bBlock + jr / panelWidth * bPanelStride;
                        float* cPanel = c + (nint)ic * n + jc + jr;
                        if (wide)
                            WideTile(mc, aBlock, rowStride, depthStride, bPanel, ldb, cPanel, n, cols, kc, addToC);
                        else
                            Tiles(mc, aBlock, aPanelStride, rowStride, depthStride, bPanel, ldb, cPanel, n, cols, kc, addToC,
                                blockEpilogue.At(ic, jc + jr, n));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Cᵀ = Bᵀ·Aᵀ for A stored transposed (so Aᵀ's rows are contiguous) and C with at most 4 columns:
    /// wide tiles of Cᵀ (C's columns by 64 of its rows) are computed into a scratch tile and stored transposed.
    /// </summary>
    private static void TransposedOutput(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        StridedMatrix bt = b.Transposed, at = a.Transposed;
        float* tile = stackalloc float[WideMR * WideNR];
        for (int i0 = 0; i0 < m; i0 += WideNR)
        {
            int cols = Math.Min(WideNR, m - i0);
            WideTile(n, bt.Data, bt.RowStride, bt.ColStride, at.At(0, i0), at.RowStride, tile, WideNR, cols, k, addToC: false);
            for (int r = 0; r < n; r++)
                for (int i = 0; i < cols; i++)
                {
                    float* target = c + (nint)(i0 + i) * n + r;
                    *target = accumulate ? *target + tile[r * WideNR + i] : tile[r * WideNR + i];
                }
        }
    }

    /// <summary>
    /// C[i,j] (+)= Σ_p A(i,p)·Bᵀ(j,p) with the rows of A and Bᵀ contiguous along p: each element a dot product,
    /// computed in blocks of 8 rows × 2 columns. C(i,j) is at c[i·ldc + j], so with ldc = 1 the same code computes
    /// a one-row C as its transpose (the rows of Bᵀ then play A, giving 8 independent FMA chains instead of 1).
    /// </summary>
    private static void DotProducts(StridedMatrix a, StridedMatrix bt, float* c, int m, int k, int n, nint ldc, bool accumulate)
    {
        for (int j = 0; j < n; j += 2)
            for (int i = 0; i < m; i += 8)
                DotBlock(Math.Min(8, m - i), Math.Min(2, n - j), a.At(i, 0), a.RowStride, bt.At(j, 0), bt.RowStride,
                    c + i * ldc + j, ldc, k, accumulate);
    }

    /// <summary>
    /// A column panel of C, <paramref name="rows"/> high and up to 32 wide: full 8-row tiles in one micro-kernel call
    /// (the row loop runs inside it), then the leftover rows with a kernel compiled for exactly that many.
    /// </summary>
    private static void Tiles(int rows, float* a, nint aTileStride, nint rowStride, nint depthStride, float* b, nint ldb,
        float* c, nint ldc, int cols, int depth, bool addToC, TileEpilogue epilogue = default)
    {
        int full = rows / MR;
        if (full > 0)
            Tile<Count8>(full, a, aTileStride, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, epilogue);
        a += full * aTileStride;
        c += full * MR * ldc;
        epilogue = epilogue.At(full * MR, 0, ldc);
        switch (rows % MR)
        {
            case 7: Tile<Count7>(1, a, 0, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, epilogue); break;
            case 6: Tile<Count6>(1, a, 0, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, epilogue); break;
            case 5: Tile<Count5>(1, a, 0, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, epilogue); break;
            case 4: Tile<Count4>(1, a, 0, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, epilogue); break;
            case 3: Tile<Count3>(1, a, 0, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, epilogue); break;
            case 2: Tile<Count2>(1, a, 0, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, epilogue); break;
            case 1: Tile<Count1>(1, a, 0, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC, epilogue); break;
        }
    }

    /// <summary>
    /// The micro-kernel: a TRows×32 tile of C (TRows ≤ 8) held in 2·TRows zmm accumulators while p runs over depth.
    /// C[r, 0..32) (+)= Σ_p A(r,p) · B(p, 0..32), with A(r,p) = a[r·rowStride + p·depthStride] and B(p, ·) = b[p·ldb ..].
    /// Columns from <paramref name="cols"/> on are masked off (masked loads never touch memory there).
    /// It runs <paramref name="tiles"/> such tiles down C (A advancing by <paramref name="aTileStride"/>, C by TRows rows),
    /// so a whole panel costs one call. The loop body is call-free so RyuJIT keeps every accumulator in a register.
    /// </summary>
    private static void Tile<TRows>(int tiles, float* aTile, nint aTileStride, nint rowStride, nint depthStride, float* bPanel, nint ldb,
        float* cTile, nint ldc, int cols, int depth, bool addToC, TileEpilogue epilogue)
        where TRows : struct, ICount
    {
        Vector512<float> mask0 = ColumnMask(cols), mask1 = ColumnMask(cols - 16);
        nint rs2 = 2 * rowStride, rs3 = 3 * rowStride, rs4 = 4 * rowStride;
        for (int t = 0; t < tiles; t++, aTile += aTileStride, cTile += TRows.Value * ldc, epilogue = epilogue.At(TRows.Value, 0, ldc))
        {
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
            Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
            Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
            float* c = cTile;
            if (addToC)
            {
                c00 = Avx512F.MaskLoad(c, mask0, default); c01 = Avx512F.MaskLoad(c + 16, mask1, default);
                if (TRows.Value > 1) { c += ldc; c10 = Avx512F.MaskLoad(c, mask0, default); c11 = Avx512F.MaskLoad(c + 16, mask1, default); }
                if (TRows.Value > 2) { c += ldc; c20 = Avx512F.MaskLoad(c, mask0, default); c21 = Avx512F.MaskLoad(c + 16, mask1, default); }
                if (TRows.Value > 3) { c += ldc; c30 = Avx512F.MaskLoad(c, mask0, default); c31 = Avx512F.MaskLoad(c + 16, mask1, default); }
                if (TRows.Value > 4) { c += ldc; c40 = Avx512F.MaskLoad(c, mask0, default); c41 = Avx512F.MaskLoad(c + 16, mask1, default); }
                if (TRows.Value > 5) { c += ldc; c50 = Avx512F.MaskLoad(c, mask0, default); c51 = Avx512F.MaskLoad(c + 16, mask1, default); }
                if (TRows.Value > 6) { c += ldc; c60 = Avx512F.MaskLoad(c, mask0, default); c61 = Avx512F.MaskLoad(c + 16, mask1, default); }
                if (TRows.Value > 7) { c += ldc; c70 = Avx512F.MaskLoad(c, mask0, default); c71 = Avx512F.MaskLoad(c + 16, mask1, default); }
            }

            float* a = aTile, b = bPanel;
            for (int p = 0; p < depth; p++)
            {
                // c[r] += A(r,p) · B(p, ·): one broadcast of A(r,p) feeds both column vectors of row r.
                Vector512<float> b0 = Avx512F.MaskLoad(b, mask0, default);
                Vector512<float> b1 = Avx512F.MaskLoad(b + 16, mask1, default);
                float* a4 = a + rs4;
                Vector512<float> ar = Vector512.Create(a[0]);
                c00 = Avx512F.FusedMultiplyAdd(ar, b0, c00); c01 = Avx512F.FusedMultiplyAdd(ar, b1, c01);
                if (TRows.Value > 1) { ar = Vector512.Create(a[rowStride]); c10 = Avx512F.FusedMultiplyAdd(ar, b0, c10); c11 = Avx512F.FusedMultiplyAdd(ar, b1, c11); }
                if (TRows.Value > 2) { ar = Vector512.Create(a[rs2]); c20 = Avx512F.FusedMultiplyAdd(ar, b0, c20); c21 = Avx512F.FusedMultiplyAdd(ar, b1, c21); }
                if (TRows.Value > 3) { ar = Vector512.Create(a[rs3]); c30 = Avx512F.FusedMultiplyAdd(ar, b0, c30); c31 = Avx512F.FusedMultiplyAdd(ar, b1, c31); }
                if (TRows.Value > 4) { ar = Vector512.Create(a4[0]); c40 = Avx512F.FusedMultiplyAdd(ar, b0, c40); c41 = Avx512F.FusedMultiplyAdd(ar, b1, c41); }
                if (TRows.Value > 5) { ar = Vector512.Create(a4[rowStride]); c50 = Avx512F.FusedMultiplyAdd(ar, b0, c50); c51 = Avx512F.FusedMultiplyAdd(ar, b1, c51); }
                if (TRows.Value > 6) { ar = Vector512.Create(a4[rs2]); c60 = Avx512F.FusedMultiplyAdd(ar, b0, c60); c61 = Avx512F.FusedMultiplyAdd(ar, b1, c61); }
                if (TRows.Value > 7) { ar = Vector512.Create(a4[rs3]); c70 = Avx512F.FusedMultiplyAdd(ar, b0, c70); c71 = Avx512F.FusedMultiplyAdd(ar, b1, c71); }
                a += depthStride;
                b += ldb;
            }

            if (epilogue.Bias != null)
                Epilogue<TRows>(epilogue.Bias, epilogue.BiasPerRow, mask0, mask1, epilogue.Relu, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31,
                    ref c40, ref c41, ref c50, ref c51, ref c60, ref c61, ref c70, ref c71);
            if (epilogue.ReluOutput != null)
                ReluMask<TRows>(epilogue.ReluOutput, ldc, mask0, mask1, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31,
                    ref c40, ref c41, ref c50, ref c51, ref c60, ref c61, ref c70, ref c71);
            if (epilogue.ColumnSums != null)
                AddRows<TRows>(epilogue.ColumnSums, mask0, mask1, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71);

            c = cTile;
            Avx512F.MaskStore(c, mask0, c00); Avx512F.MaskStore(c + 16, mask1, c01);
            if (TRows.Value > 1) { c += ldc; Avx512F.MaskStore(c, mask0, c10); Avx512F.MaskStore(c + 16, mask1, c11); }
            if (TRows.Value > 2) { c += ldc; Avx512F.MaskStore(c, mask0, c20); Avx512F.MaskStore(c + 16, mask1, c21); }
            if (TRows.Value > 3) { c += ldc; Avx512F.MaskStore(c, mask0, c30); Avx512F.MaskStore(c + 16, mask1, c31); }
            if (TRows.Value > 4) { c += ldc; Avx512F.MaskStore(c, mask0, c40); Avx512F.MaskStore(c + 16, mask1, c41); }
            if (TRows.Value > 5) { c += ldc; Avx512F.MaskStore(c, mask0, c50); Avx512F.MaskStore(c + 16, mask1, c51); }
            if (TRows.Value > 6) { c += ldc; Avx512F.MaskStore(c, mask0, c60); Avx512F.MaskStore(c + 16, mask1, c61); }
            if (TRows.Value > 7) { c += ldc; Avx512F.MaskStore(c, mask0, c70); Avx512F.MaskStore(c + 16, mask1, c71); }
        }
    }

    /// <summary>
    /// y = x + bias[column], then max(y, 0) when <paramref name="relu"/>, for each accumulator of a finished tile: a
    /// layer's bias and activation while the tile is still in registers. Inlined after the depth loop, never inside it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Epilogue<TRows>(float* bias, bool perRow, Vector512<float> mask0, Vector512<float> mask1, bool relu,
        ref Vector512<float> c00, ref Vector512<float> c01, ref Vector512<float> c10, ref Vector512<float> c11,
        ref Vector512<float> c20, ref Vector512<float> c21, ref Vector512<float> c30, ref Vector512<float> c31,
        ref Vector512<float> c40, ref Vector512<float> c41, ref Vector512<float> c50, ref Vector512<float> c51,
        ref Vector512<float> c60, ref Vector512<float> c61, ref Vector512<float> c70, ref Vector512<float> c71)
        where TRows : struct, ICount
    {
        // per column: one vector pair for every row; per row: bias[r] in every lane of row r
        Vector512<float> b0, b1;
        if (perRow)
            b0 = b1 = Vector512.Create(bias[0]);
        else
            (b0, b1) = (Avx512F.MaskLoad(bias, mask0, default), Avx512F.MaskLoad(bias + 16, mask1, default));
        c00 += b0; c01 += b1;
        if (TRows.Value > 1) { if (perRow) b0 = b1 = Vector512.Create(bias[1]); c10 += b0; c11 += b1; }
        if (TRows.Value > 2) { if (perRow) b0 = b1 = Vector512.Create(bias[2]); c20 += b0; c21 += b1; }
        if (TRows.Value > 3) { if (perRow) b0 = b1 = Vector512.Create(bias[3]); c30 += b0; c31 += b1; }
        if (TRows.Value > 4) { if (perRow) b0 = b1 = Vector512.Create(bias[4]); c40 += b0; c41 += b1; }
        if (TRows.Value > 5) { if (perRow) b0 = b1 = Vector512.Create(bias[5]); c50 += b0; c51 += b1; }
        if (TRows.Value > 6) { if (perRow) b0 = b1 = Vector512.Create(bias[6]); c60 += b0; c61 += b1; }
        if (TRows.Value > 7) { if (perRow) b0 = b1 = Vector512.Create(bias[7]); c70 += b0; c71 += b1; }
        if (!relu)
            return;
        Vector512<float> zero = Vector512<float>.Zero;
        c00 = Vector512.Max(c00, zero); c01 = Vector512.Max(c01, zero);
        if (TRows.Value > 1) { c10 = Vector512.Max(c10, zero); c11 = Vector512.Max(c11, zero); }
        if (TRows.Value > 2) { c20 = Vector512.Max(c20, zero); c21 = Vector512.Max(c21, zero); }
        if (TRows.Value > 3) { c30 = Vector512.Max(c30, zero); c31 = Vector512.Max(c31, zero); }
        if (TRows.Value > 4) { c40 = Vector512.Max(c40, zero); c41 = Vector512.Max(c41, zero); }
        if (TRows.Value > 5) { c50 = Vector512.Max(c50, zero); c51 = Vector512.Max(c51, zero); }
        if (TRows.Value > 6) { c60 = Vector512.Max(c60, zero); c61 = Vector512.Max(c61, zero); }
        if (TRows.Value > 7) { c70 = Vector512.Max(c70, zero); c71 = Vector512.Max(c71, zero); }
    }

    /// <summary>
    /// ∂L/∂z = ∂L/∂h ⊙ [h &gt; 0] for each accumulator of a finished tile (a ReLU's backward, h = max(z, 0) its output,
    /// a tile of the same shape at <paramref name="h"/> with row stride <paramref name="ldh"/>; a NaN h masks to 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReluMask<TRows>(float* h, nint ldh, Vector512<float> mask0, Vector512<float> mask1,
        ref Vector512<float> c00, ref Vector512<float> c01, ref Vector512<float> c10, ref Vector512<float> c11,
        ref Vector512<float> c20, ref Vector512<float> c21, ref Vector512<float> c30, ref Vector512<float> c31,
        ref Vector512<float> c40, ref Vector512<float> c41, ref Vector512<float> c50, ref Vector512<float> c51,
        ref Vector512<float> c60, ref Vector512<float> c61, ref Vector512<float> c70, ref Vector512<float> c71)
        where TRows : struct, ICount
    {
        c00 &= Positive(h, mask0); c01 &= Positive(h + 16, mask1);
        if (TRows.Value > 1) { h += ldh; c10 &= Positive(h, mask0); c11 &= Positive(h + 16, mask1); }
        if (TRows.Value > 2) { h += ldh; c20 &= Positive(h, mask0); c21 &= Positive(h + 16, mask1); }
        if (TRows.Value > 3) { h += ldh; c30 &= Positive(h, mask0); c31 &= Positive(h + 16, mask1); }
        if (TRows.Value > 4) { h += ldh; c40 &= Positive(h, mask0); c41 &= Positive(h + 16, mask1); }
        if (TRows.Value > 5) { h += ldh; c50 &= Positive(h, mask0); c51 &= Positive(h + 16, mask1); }
        if (TRows.Value > 6) { h += ldh; c60 &= Positive(h, mask0); c61 &= Positive(h + 16, mask1); }
        if (TRows.Value > 7) { h += ldh; c70 &= Positive(h, mask0); c71 &= Positive(h + 16, mask1); }
    }

    /// <summary>All bits set in the lanes where h &gt; 0 (h loaded under <paramref name="mask"/>), clear elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Positive(float* h, Vector512<float> mask) =>
        Vector512.GreaterThan(Avx512F.MaskLoad(h, mask, default), Vector512<float>.Zero);

    /// <summary>
    /// sums[j] += C[r, j] for the tile's rows r in order (a bias gradient Σ_batch ∂L/∂z, one tile of rows at a time):
    /// the additions of a separate row-by-row pass, in its order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRows<TRows>(float* sums, Vector512<float> mask0, Vector512<float> mask1,
        Vector512<float> c00, Vector512<float> c01, Vector512<float> c10, Vector512<float> c11,
        Vector512<float> c20, Vector512<float> c21, Vector512<float> c30, Vector512<float> c31,
        Vector512<float> c40, Vector512<float> c41, Vector512<float> c50, Vector512<float> c51,
        Vector512<float> c60, Vector512<float> c61, Vector512<float> c70, Vector512<float> c71)
        where TRows : struct, ICount
    {
        Vector512<float> s0 = Avx512F.MaskLoad(sums, mask0, default) + c00, s1 = Avx512F.MaskLoad(sums + 16, mask1, default) + c01;
        if (TRows.Value > 1) { s0 += c10; s1 += c11; }
        if (TRows.Value > 2) { s0 += c20; s1 += c21; }
        if (TRows.Value > 3) { s0 += c30; s1 += c31; }
        if (TRows.Value > 4) { s0 += c40; s1 += c41; }
        if (TRows.Value > 5) { s0 += c50; s1 += c51; }
        if (TRows.Value > 6) { s0 += c60; s1 += c61; }
        if (TRows.Value > 7) { s0 += c70; s1 += c71; }
        Avx512F.MaskStore(sums, mask0, s0);
        Avx512F.MaskStore(sums + 16, mask1, s1);
    }

    private static void WideTile(int rows, float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc,
        int cols, int depth, bool addToC)
    {
        switch (rows)
        {
            case 4: WideTile<Count4>(a, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC); break;
            case 3: WideTile<Count3>(a, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC); break;
            case 2: WideTile<Count2>(a, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC); break;
            default: WideTile<Count1>(a, rowStride, depthStride, b, ldb, c, ldc, cols, depth, addToC); break;
        }
    }

    /// <summary>
    /// The micro-kernel for C with few rows (TRows ≤ 4): a TRows×64 tile in 4·TRows accumulators, so one or two rows
    /// still keep 4–8 FMA chains in flight where an 8×32 tile would keep 2–4 (the FMA latency would then bound it).
    /// Same contract as <see cref="Tile{TRows}"/> otherwise.
    /// </summary>
    private static void WideTile<TRows>(float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc,
        int cols, int depth, bool addToC)
        where TRows : struct, ICount
    {
        Vector512<float> mask0 = ColumnMask(cols), mask1 = ColumnMask(cols - 16);
        Vector512<float> mask2 = ColumnMask(cols - 32), mask3 = ColumnMask(cols - 48);
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        float* cr = c;
        if (addToC)
        {
            c00 = Avx512F.MaskLoad(cr, mask0, default); c01 = Avx512F.MaskLoad(cr + 16, mask1, default);
            c02 = Avx512F.MaskLoad(cr + 32, mask2, default); c03 = Avx512F.MaskLoad(cr + 48, mask3, default);
            if (TRows.Value > 1)
            {
                cr += ldc;
                c10 = Avx512F.MaskLoad(cr, mask0, default); c11 = Avx512F.MaskLoad(cr + 16, mask1, default);
                c12 = Avx512F.MaskLoad(cr + 32, mask2, default); c13 = Avx512F.MaskLoad(cr + 48, mask3, default);
            }
            if (TRows.Value > 2)
            {
                cr += ldc;
                c20 = Avx512F.MaskLoad(cr, mask0, default); c21 = Avx512F.MaskLoad(cr + 16, mask1, default);
                c22 = Avx512F.MaskLoad(cr + 32, mask2, default); c23 = Avx512F.MaskLoad(cr + 48, mask3, default);
            }
            if (TRows.Value > 3)
            {
                cr += ldc;
                c30 = Avx512F.MaskLoad(cr, mask0, default); c31 = Avx512F.MaskLoad(cr + 16, mask1, default);
                c32 = Avx512F.MaskLoad(cr + 32, mask2, default); c33 = Avx512F.MaskLoad(cr + 48, mask3, default);
            }
        }

        nint rs2 = 2 * rowStride, rs3 = 3 * rowStride;
        for (int p = 0; p < depth; p++)
        {
            // c[r] += A(r,p) · B(p, ·)
            Vector512<float> b0 = Avx512F.MaskLoad(b, mask0, default), b1 = Avx512F.MaskLoad(b + 16, mask1, default);
            Vector512<float> b2 = Avx512F.MaskLoad(b + 32, mask2, default), b3 = Avx512F.MaskLoad(b + 48, mask3, default);
            Vector512<float> ar = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(ar, b0, c00); c01 = Avx512F.FusedMultiplyAdd(ar, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(ar, b2, c02); c03 = Avx512F.FusedMultiplyAdd(ar, b3, c03);
            if (TRows.Value > 1)
            {
                ar = Vector512.Create(a[rowStride]);
                c10 = Avx512F.FusedMultiplyAdd(ar, b0, c10); c11 = Avx512F.FusedMultiplyAdd(ar, b1, c11);
                c12 = Avx512F.FusedMultiplyAdd(ar, b2, c12); c13 = Avx512F.FusedMultiplyAdd(ar, b3, c13);
            }
            if (TRows.Value > 2)
            {
                ar = Vector512.Create(a[rs2]);
                c20 = Avx512F.FusedMultiplyAdd(ar, b0, c20); c21 = Avx512F.FusedMultiplyAdd(ar, b1, c21);
                c22 = Avx512F.FusedMultiplyAdd(ar, b2, c22); c23 = Avx512F.FusedMultiplyAdd(ar, b3, c23);
            }
            if (TRows.Value > 3)
            {
                ar = Vector512.Create(a[rs3]);
                c30 = Avx512F.FusedMultiplyAdd(ar, b0, c30); c31 = Avx512F.FusedMultiplyAdd(ar, b1, c31);
                c32 = Avx512F.FusedMultiplyAdd(ar, b2, c32); c33 = Avx512F.FusedMultiplyAdd(ar, b3, c33);
            }
            a += depthStride;
            b += ldb;
        }

        Avx512F.MaskStore(c, mask0, c00); Avx512F.MaskStore(c + 16, mask1, c01);
        Avx512F.MaskStore(c + 32, mask2, c02); Avx512F.MaskStore(c + 48, mask3, c03);
        if (TRows.Value > 1)
        {
            c += ldc;
            Avx512F.MaskStore(c, mask0, c10); Avx512F.MaskStore(c + 16, mask1, c11);
            Avx512F.MaskStore(c + 32, mask2, c12); Avx512F.MaskStore(c + 48, mask3, c13);
        }
        if (TRows.Value > 2)
        {
            c += ldc;
            Avx512F.MaskStore(c, mask0, c20); Avx512F.MaskStore(c + 16, mask1, c21);
            Avx512F.MaskStore(c + 32, mask2, c22); Avx512F.MaskStore(c + 48, mask3, c23);
        }
        if (TRows.Value > 3)
        {
            c += ldc;
            Avx512F.MaskStore(c, mask0, c30); Avx512F.MaskStore(c + 16, mask1, c31);
            Avx512F.MaskStore(c + 32, mask2, c32); Avx512F.MaskStore(c + 48, mask3, c33);
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
            case 8: DotBlock<Count8, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 7: DotBlock<Count7, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 6: DotBlock<Count6, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 5: DotBlock<Count5, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 4: DotBlock<Count4, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 3: DotBlock<Count3, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 2: DotBlock<Count2, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            default: DotBlock<Count1, TCols>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
        }
    }

    /// <summary>
    /// C[r,j] (+)= Σ_p a[r·lda + p]·bt[j·ldbt + p] for r &lt; TRows ≤ 8, j &lt; TCols ≤ 2: one accumulator per element,
    /// each holding 16 partial sums while p runs 16 at a time (the last step masked). One load of Bᵀ feeds
    /// TRows FMAs, one load of A feeds TCols. The reductions then take the accumulators four at a time in row-major order
    /// (two rows of a pair, or four rows of a single column), so no reduction is spent on an empty slot.
    /// </summary>
    private static void DotBlock<TRows, TCols>(float* a, nint lda, float* bt, nint ldbt, float* c, nint ldc, int k, bool accumulate)
        where TRows : struct, ICount
        where TCols : struct, ICount
    {
        Vector512<float> s00 = default, s01 = default, s10 = default, s11 = default;
        Vector512<float> s20 = default, s21 = default, s30 = default, s31 = default;
        Vector512<float> s40 = default, s41 = default, s50 = default, s51 = default;
        Vector512<float> s60 = default, s61 = default, s70 = default, s71 = default;
        Vector512<float> mask = Vector512<float>.AllBitsSet;
        for (int p = 0; p < k; p += 16)
        {
            if (k - p < 16)
                mask = ColumnMask(k - p);
            // s[r][j] += A(r, p..p+16) ⊙ Bᵀ(j, p..p+16)
            Vector512<float> b0 = Avx512F.MaskLoad(bt + p, mask, default);
            Vector512<float> b1 = TCols.Value > 1 ? Avx512F.MaskLoad(bt + ldbt + p, mask, default) : default;
            float* ap = a + p;
            Vector512<float> ar = Avx512F.MaskLoad(ap, mask, default);
            s00 = Avx512F.FusedMultiplyAdd(ar, b0, s00);
            if (TCols.Value > 1) s01 = Avx512F.FusedMultiplyAdd(ar, b1, s01);
            if (TRows.Value > 1)
            {
                ar = Avx512F.MaskLoad(ap + lda, mask, default);
                s10 = Avx512F.FusedMultiplyAdd(ar, b0, s10);
                if (TCols.Value > 1) s11 = Avx512F.FusedMultiplyAdd(ar, b1, s11);
            }
            if (TRows.Value > 2)
            {
                ar = Avx512F.MaskLoad(ap + 2 * lda, mask, default);
                s20 = Avx512F.FusedMultiplyAdd(ar, b0, s20);
                if (TCols.Value > 1) s21 = Avx512F.FusedMultiplyAdd(ar, b1, s21);
            }
            if (TRows.Value > 3)
            {
                ar = Avx512F.MaskLoad(ap + 3 * lda, mask, default);
                s30 = Avx512F.FusedMultiplyAdd(ar, b0, s30);
                if (TCols.Value > 1) s31 = Avx512F.FusedMultiplyAdd(ar, b1, s31);
            }
            if (TRows.Value > 4)
            {
                ar = Avx512F.MaskLoad(ap + 4 * lda, mask, default);
                s40 = Avx512F.FusedMultiplyAdd(ar, b0, s40);
                if (TCols.Value > 1) s41 = Avx512F.FusedMultiplyAdd(ar, b1, s41);
            }
            if (TRows.Value > 5)
            {
                ar = Avx512F.MaskLoad(ap + 5 * lda, mask, default);
                s50 = Avx512F.FusedMultiplyAdd(ar, b0, s50);
                if (TCols.Value > 1) s51 = Avx512F.FusedMultiplyAdd(ar, b1, s51);
            }
            if (TRows.Value > 6)
            {
                ar = Avx512F.MaskLoad(ap + 6 * lda, mask, default);
                s60 = Avx512F.FusedMultiplyAdd(ar, b0, s60);
                if (TCols.Value > 1) s61 = Avx512F.FusedMultiplyAdd(ar, b1, s61);
            }
            if (TRows.Value > 7)
            {
                ar = Avx512F.MaskLoad(ap + 7 * lda, mask, default);
                s70 = Avx512F.FusedMultiplyAdd(ar, b0, s70);
                if (TCols.Value > 1) s71 = Avx512F.FusedMultiplyAdd(ar, b1, s71);
            }
        }

        if (TCols.Value == 2)
        {
            // [C(0,0), C(0,1), C(1,0), C(1,1)], then rows 2-3, 4-5, 6-7.
            ScatterSums(Sum4(s00, s01, s10, s11), c, ldc, 2, Math.Min(TRows.Value, 2) * 2, accumulate);
            if (TRows.Value > 2) ScatterSums(Sum4(s20, s21, s30, s31), c + 2 * ldc, ldc, 2, Math.Min(TRows.Value - 2, 2) * 2, accumulate);
            if (TRows.Value > 4) ScatterSums(Sum4(s40, s41, s50, s51), c + 4 * ldc, ldc, 2, Math.Min(TRows.Value - 4, 2) * 2, accumulate);
            if (TRows.Value > 6) ScatterSums(Sum4(s60, s61, s70, s71), c + 6 * ldc, ldc, 2, (TRows.Value - 6) * 2, accumulate);
        }
        else
        {
            // [C(0,0), C(1,0), C(2,0), C(3,0)], then rows 4-7.
            ScatterSums(Sum4(s00, s10, s20, s30), c, ldc, 1, Math.Min(TRows.Value, 4), accumulate);
            if (TRows.Value > 4) ScatterSums(Sum4(s40, s50, s60, s70), c + 4 * ldc, ldc, 1, TRows.Value - 4, accumulate);
        }
    }

    /// <summary>
    /// Element q &lt; count of <paramref name="sums"/> is C(q / perRow, q % perRow), added to or stored at
    /// c[(q / perRow)·ldc + q % perRow]. Written out for q = 0..3 so that, inlined with constant arguments, every offset
    /// and lane index folds to a constant. Inlined like <see cref="Sum4"/>: a call after a dot loop would make RyuJIT
    /// spill the accumulators on every iteration.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScatterSums(Vector128<float> sums, float* c, nint ldc, int perRow, int count, bool accumulate)
    {
        Put(c, sums.GetElement(0), accumulate);
        if (count > 1) Put(c + 1 / perRow * ldc + 1 % perRow, sums.GetElement(1), accumulate);
        if (count > 2) Put(c + 2 / perRow * ldc + 2 % perRow, sums.GetElement(2), accumulate);
        if (count > 3) Put(c + 3 / perRow * ldc + 3 % perRow, sums.GetElement(3), accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* target, float value, bool accumulate) => *target = accumulate ? *target + value : value;

    /// <summary>
    /// [Σ x0, Σ x1, Σ x2, Σ x3] in three halving steps that reduce the four vectors together:
    /// 256-bit halves added pairwise, then 128-bit quarters, then the four lanes inside each quarter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sum4(Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3)
    {
        // x01 = [x0.q0+x0.q2, x0.q1+x0.q3, x1.q0+x1.q2, x1.q1+x1.q3] (q = 128-bit quarter).
        Vector512<float> x01 = Avx512F.Shuffle4x128(x0, x1, 0x44) + Avx512F.Shuffle4x128(x0, x1, 0xEE);
        Vector512<float> x23 = Avx512F.Shuffle4x128(x2, x3, 0x44) + Avx512F.Shuffle4x128(x2, x3, 0xEE);
        // Quarter r now holds four partial sums of x_r.
        Vector512<float> y = Avx512F.Shuffle4x128(x01, x23, 0x88) + Avx512F.Shuffle4x128(x01, x23, 0xDD);
        // Add lanes (0,1)(2,3), then (01,23): every lane of quarter r holds Σ x_r.
        y += Avx512F.Permute4x32(y, 0xB1);
        y += Avx512F.Permute4x32(y, 0x4E);
        return Avx512F.PermuteVar16x32(y, Vector512.Create(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).GetLower().GetLower();
    }

    /// <summary>Lanes [0, count) set, the rest clear (count may be ≤ 0 or ≥ 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ColumnMask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    private static StridedMatrix Offset(StridedMatrix x, int row, int col) => new(x.At(row, col), x.RowStride, x.ColStride);

    /// <summary>
    /// What a tile does after its full sum, before it is stored: a forward layer's <see cref="Bias"/> (per column, or
    /// per row with <see cref="BiasPerRow"/>) and <see cref="Relu"/>, or a backward's ReLU mask from
    /// <see cref="ReluOutput"/> (a matrix laid out like C) and <see cref="ColumnSums"/> (per column). Null pointers:
    /// nothing to do; <c>default</c>: no epilogue.
    /// </summary>
    private readonly struct TileEpilogue(float* bias, bool biasPerRow, bool relu, float* reluOutput, float* columnSums)
    {
        public float* Bias { get; } = bias;
        public bool BiasPerRow { get; } = biasPerRow;
        public bool Relu { get; } = relu;
        public float* ReluOutput { get; } = reluOutput;
        public float* ColumnSums { get; } = columnSums;

        /// <summary>The epilogue of the tile at (<paramref name="row"/>, <paramref name="col"/>) of this one's, in a C with row stride <paramref name="ldc"/>.</summary>
        public TileEpilogue At(nint row, nint col, nint ldc) => new(
            Bias == null ? null : Bias + (BiasPerRow ? row : col), BiasPerRow, Relu,
            ReluOutput == null ? null : ReluOutput + row * ldc + col,
            ColumnSums == null ? null : ColumnSums + col);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
