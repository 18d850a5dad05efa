using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyTorch.Kernels;

/// <summary>
/// AVX-512 matmul laid out like BLIS (Goto's algorithm), plus two shortcuts for the skinny shapes of a small DQN.
/// <list type="bullet">
/// <item>Blocked: C is computed in 8×32 tiles, each held in 16 zmm registers while p runs (<see cref="Tile{TRows}"/>).
/// Large problems are cut into kc×nc blocks of B (packed, kept in L2/L3) and mc×kc blocks of A (packed, kept in L2),
/// so the 32-wide B panel a tile reads stays in L1. Small problems skip packing and read A and B in place.</item>
/// <item>Dot products: when C has at most <see cref="DotMaxColumns"/> columns and A's rows are contiguous,
/// each C element is a dot product vectorised along p, 16 p's per FMA, instead of a tile that would be mostly padding.</item>
/// <item>Transposed output: for Aᵀ·B with few columns, Cᵀ = Bᵀ·A is computed in tiles (A's rows are contiguous along
/// C's rows) and each tile is written back transposed.</item>
/// </list>
/// Falls back to <see cref="MatMulVector256"/> when the CPU lacks AVX-512.
/// </summary>
public static unsafe class MatMulVector512
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

    /// <summary>Below this many multiply-adds packing A costs more than it saves.</summary>
    internal const long PackAThreshold = 256L * 256 * 256;

    /// <summary>C with at most this many columns is computed as dot products.</summary>
    private const int DotMaxColumns = 4;

    /// <summary>True when this CPU runs 512-bit vectors natively; otherwise every call falls back to <see cref="MatMulVector256"/>.</summary>
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>C[m,n] (+)= A[m,k] · B[k,n].</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        if (!IsSupported)
        {
            MatMulVector256.Multiply(a, b, c, m, k, n, accumulate);
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
            Gemm(new StridedMatrix(pa, k, 1), new StridedMatrix(pb, n, 1), pc, m, k, n, accumulate);
    }

    /// <summary>C[m,n] (+)= Aᵀ · B where A is stored [k,m] and B is [k,n].</summary>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        if (!IsSupported)
        {
            MatMulVector256.MultiplyTransposedA(a, b, c, m, k, n, accumulate);
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
            Gemm(new StridedMatrix(pa, 1, m), new StridedMatrix(pb, n, 1), pc, m, k, n, accumulate);
    }

    /// <summary>C[m,n] (+)= A · Bᵀ where A is [m,k] and B is stored [n,k].</summary>
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        if (!IsSupported)
        {
            MatMulVector256.MultiplyTransposedB(a, b, c, m, k, n, accumulate);
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
            Gemm(new StridedMatrix(pa, k, 1), new StridedMatrix(pb, 1, k), pc, m, k, n, accumulate);
    }

    /// <summary>C[m,n] (+)= A·B for any strides of A [m,k] and B [k,n]; C is row-major with n columns.</summary>
    private static void Gemm(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            if (!accumulate)
                new Span<float>(c, m * n).Clear();
            return;
        }
        if (n <= DotMaxColumns && a.ColStride == 1 && k >= 16)
            DotProducts(a, b, c, m, k, n, accumulate);
        else if (n <= DotMaxColumns && a.RowStride == 1 && m >= 16)
            TransposedOutput(a, b, c, m, k, n, accumulate);
        else
            Blocked(a, b, c, m, k, n, accumulate);
    }

    /// <summary>The three-level cache blocking around the 8×32 tile (BLIS loop order jc, pc, ic, jr, ir).</summary>
    private static void Blocked(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        bool packA = (long)m * k * n >= PackAThreshold;
        bool packB = packA || b.ColStride != 1;
        int ncMax = Math.Min(NC, n);
        float* bPanels = packB ? MatMulPacking.BufferB(Math.Min(KC, k) * RoundUp(ncMax, NR)) : null;
        float* aPanels = packA ? MatMulPacking.BufferA(Math.Min(KC, k) * RoundUp(Math.Min(MC, m), MR)) : null;

        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                bool addToC = accumulate || pc > 0;

                // B block: kc × nc, packed into 32-wide panels, or read in place when its rows are contiguous.
                float* bBlock;
                nint ldb, bPanelStride;
                if (packB)
                {
                    MatMulPacking.Pack(Offset(b, pc, jc).Transposed, nc, kc, NR, bPanels);
                    bBlock = bPanels;
                    ldb = NR;
                    bPanelStride = (nint)kc * NR;
                }
                else
                {
                    bBlock = b.At(pc, jc);
                    ldb = b.RowStride;
                    bPanelStride = NR;
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

                    for (int jr = 0; jr < nc; jr += NR)
                    {
                        int cols = Math.Min(NR, nc - jr);
                        Vector512<float> mask0 = ColumnMask(cols), mask1 = ColumnMask(cols - 16);
                        float* bPanel = bBlock + jr / NR * bPanelStride;
                        for (int ir = 0; ir < mc; ir += MR)
                        {
                            float* cTile = c + (nint)(ic + ir) * n + jc + jr;
                            Tile(Math.Min(MR, mc - ir), aBlock + ir / MR * aPanelStride, rowStride, depthStride,
                                bPanel, ldb, cTile, n, kc, mask0, mask1, addToC);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Cᵀ = Bᵀ·Aᵀ for A stored transposed (so Aᵀ's rows are contiguous) and C with few columns:
    /// tiles of Cᵀ are 8 of C's columns by 32 of its rows, computed into a scratch tile and stored transposed.
    /// </summary>
    private static void TransposedOutput(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        StridedMatrix bt = b.Transposed, at = a.Transposed;
        float* tile = stackalloc float[MR * NR];
        for (int i0 = 0; i0 < m; i0 += NR)
        {
            int cols = Math.Min(NR, m - i0);
            Vector512<float> mask0 = ColumnMask(cols), mask1 = ColumnMask(cols - 16);
            for (int j0 = 0; j0 < n; j0 += MR)
            {
                int rows = Math.Min(MR, n - j0);
                Tile(rows, bt.Data + j0 * bt.RowStride, bt.RowStride, bt.ColStride,
                    at.Data + i0, at.RowStride, tile, NR, k, mask0, mask1, addToC: false);
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < cols; i++)
                    {
                        float* target = c + (nint)(i0 + i) * n + j0 + r;
                        *target = accumulate ? *target + tile[r * NR + i] : tile[r * NR + i];
                    }
            }
        }
    }

    /// <summary>
    /// C[i,j] (+)= Σ_p A(i,p)·Bᵀ(j,p) for A with contiguous rows: each element a dot product over p, in 4×4 blocks.
    /// Bᵀ is B itself when B is stored [n,k]; otherwise its few columns are first copied out into rows.
    /// </summary>
    private static void DotProducts(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        StridedMatrix bt = b.Transposed;
        if (bt.ColStride != 1)
        {
            float* rows = MatMulPacking.BufferB(n * k);
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++)
                    rows[j * k + p] = *bt.At(j, p);
            bt = new StridedMatrix(rows, k, 1);
        }
        for (int i = 0; i < m; i += 4)
            for (int j = 0; j < n; j += 4)
                DotBlock(Math.Min(4, m - i), Math.Min(4, n - j), a.At(i, 0), a.RowStride, bt.At(j, 0), bt.RowStride,
                    c + (nint)i * n + j, n, k, accumulate);
    }

    private static void Tile(int rows, float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc,
        int depth, Vector512<float> mask0, Vector512<float> mask1, bool addToC)
    {
        switch (rows)
        {
            case 8: Tile<Count8>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            case 7: Tile<Count7>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            case 6: Tile<Count6>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            case 5: Tile<Count5>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            case 4: Tile<Count4>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            case 3: Tile<Count3>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            case 2: Tile<Count2>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
            default: Tile<Count1>(a, rowStride, depthStride, b, ldb, c, ldc, depth, mask0, mask1, addToC); break;
        }
    }

    /// <summary>
    /// The micro-kernel: a TRows×32 tile of C (TRows ≤ 8) held in 2·TRows zmm accumulators while p runs over depth.
    /// C[r, 0..32) (+)= Σ_p A(r,p) · B(p, 0..32), with A(r,p) = a[r·rowStride + p·depthStride] and B(p, ·) = b[p·ldb ..].
    /// The masks switch off columns past C's right edge (masked loads never touch memory there).
    /// The loop body is call-free so RyuJIT keeps every accumulator in a register.
    /// </summary>
    private static void Tile<TRows>(float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc,
        int depth, Vector512<float> mask0, Vector512<float> mask1, bool addToC)
        where TRows : struct, ICount
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        if (addToC)
        {
            float* cr = c;
            c00 = Avx512F.MaskLoad(cr, mask0, default); c01 = Avx512F.MaskLoad(cr + 16, mask1, default);
            if (TRows.Value > 1) { cr += ldc; c10 = Avx512F.MaskLoad(cr, mask0, default); c11 = Avx512F.MaskLoad(cr + 16, mask1, default); }
            if (TRows.Value > 2) { cr += ldc; c20 = Avx512F.MaskLoad(cr, mask0, default); c21 = Avx512F.MaskLoad(cr + 16, mask1, default); }
            if (TRows.Value > 3) { cr += ldc; c30 = Avx512F.MaskLoad(cr, mask0, default); c31 = Avx512F.MaskLoad(cr + 16, mask1, default); }
            if (TRows.Value > 4) { cr += ldc; c40 = Avx512F.MaskLoad(cr, mask0, default); c41 = Avx512F.MaskLoad(cr + 16, mask1, default); }
            if (TRows.Value > 5) { cr += ldc; c50 = Avx512F.MaskLoad(cr, mask0, default); c51 = Avx512F.MaskLoad(cr + 16, mask1, default); }
            if (TRows.Value > 6) { cr += ldc; c60 = Avx512F.MaskLoad(cr, mask0, default); c61 = Avx512F.MaskLoad(cr + 16, mask1, default); }
            if (TRows.Value > 7) { cr += ldc; c70 = Avx512F.MaskLoad(cr, mask0, default); c71 = Avx512F.MaskLoad(cr + 16, mask1, default); }
        }

        nint rs2 = 2 * rowStride, rs3 = 3 * rowStride, rs4 = 4 * rowStride;
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

        Avx512F.MaskStore(c, mask0, c00); Avx512F.MaskStore(c + 16, mask1, c01);
        if (TRows.Value > 1) { c += ldc; Avx512F.MaskStore(c, mask0, c10); Avx512F.MaskStore(c + 16, mask1, c11); }
        if (TRows.Value > 2) { c += ldc; Avx512F.MaskStore(c, mask0, c20); Avx512F.MaskStore(c + 16, mask1, c21); }
        if (TRows.Value > 3) { c += ldc; Avx512F.MaskStore(c, mask0, c30); Avx512F.MaskStore(c + 16, mask1, c31); }
        if (TRows.Value > 4) { c += ldc; Avx512F.MaskStore(c, mask0, c40); Avx512F.MaskStore(c + 16, mask1, c41); }
        if (TRows.Value > 5) { c += ldc; Avx512F.MaskStore(c, mask0, c50); Avx512F.MaskStore(c + 16, mask1, c51); }
        if (TRows.Value > 6) { c += ldc; Avx512F.MaskStore(c, mask0, c60); Avx512F.MaskStore(c + 16, mask1, c61); }
        if (TRows.Value > 7) { c += ldc; Avx512F.MaskStore(c, mask0, c70); Avx512F.MaskStore(c + 16, mask1, c71); }
    }

    private static void DotBlock(int rows, int cols, float* a, nint lda, float* bt, nint ldbt, float* c, nint ldc, int k, bool accumulate)
    {
        switch (rows)
        {
            case 4: DotBlock<Count4>(cols, a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 3: DotBlock<Count3>(cols, a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 2: DotBlock<Count2>(cols, a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            default: DotBlock<Count1>(cols, a, lda, bt, ldbt, c, ldc, k, accumulate); break;
        }
    }

    private static void DotBlock<TRows>(int cols, float* a, nint lda, float* bt, nint ldbt, float* c, nint ldc, int k, bool accumulate)
        where TRows : struct, ICount
    {
        switch (cols)
        {
            case 4: DotBlock<TRows, Count4>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 3: DotBlock<TRows, Count3>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            case 2: DotBlock<TRows, Count2>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
            default: DotBlock<TRows, Count1>(a, lda, bt, ldbt, c, ldc, k, accumulate); break;
        }
    }

    /// <summary>
    /// C[r,j] (+)= Σ_p a[r·lda + p]·bt[j·ldbt + p] for a TRows×TCols block (each ≤ 4): 16 partial sums per
    /// accumulator while p runs 16 at a time (the last step masked), then one horizontal reduction per element.
    /// </summary>
    private static void DotBlock<TRows, TCols>(float* a, nint lda, float* bt, nint ldbt, float* c, nint ldc, int k, bool accumulate)
        where TRows : struct, ICount
        where TCols : struct, ICount
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<float> s30 = default, s31 = default, s32 = default, s33 = default;
        Vector512<float> mask = Vector512<float>.AllBitsSet;
        for (int p = 0; p < k; p += 16)
        {
            if (k - p < 16)
                mask = ColumnMask(k - p);
            Vector512<float> b0 = Avx512F.MaskLoad(bt + p, mask, default), b1 = default, b2 = default, b3 = default;
            if (TCols.Value > 1) b1 = Avx512F.MaskLoad(bt + ldbt + p, mask, default);
            if (TCols.Value > 2) b2 = Avx512F.MaskLoad(bt + 2 * ldbt + p, mask, default);
            if (TCols.Value > 3) b3 = Avx512F.MaskLoad(bt + 3 * ldbt + p, mask, default);

            Vector512<float> ar = Avx512F.MaskLoad(a + p, mask, default);
            s00 = Avx512F.FusedMultiplyAdd(ar, b0, s00);
            if (TCols.Value > 1) s01 = Avx512F.FusedMultiplyAdd(ar, b1, s01);
            if (TCols.Value > 2) s02 = Avx512F.FusedMultiplyAdd(ar, b2, s02);
            if (TCols.Value > 3) s03 = Avx512F.FusedMultiplyAdd(ar, b3, s03);
            if (TRows.Value > 1)
            {
                ar = Avx512F.MaskLoad(a + lda + p, mask, default);
                s10 = Avx512F.FusedMultiplyAdd(ar, b0, s10);
                if (TCols.Value > 1) s11 = Avx512F.FusedMultiplyAdd(ar, b1, s11);
                if (TCols.Value > 2) s12 = Avx512F.FusedMultiplyAdd(ar, b2, s12);
                if (TCols.Value > 3) s13 = Avx512F.FusedMultiplyAdd(ar, b3, s13);
            }
            if (TRows.Value > 2)
            {
                ar = Avx512F.MaskLoad(a + 2 * lda + p, mask, default);
                s20 = Avx512F.FusedMultiplyAdd(ar, b0, s20);
                if (TCols.Value > 1) s21 = Avx512F.FusedMultiplyAdd(ar, b1, s21);
                if (TCols.Value > 2) s22 = Avx512F.FusedMultiplyAdd(ar, b2, s22);
                if (TCols.Value > 3) s23 = Avx512F.FusedMultiplyAdd(ar, b3, s23);
            }
            if (TRows.Value > 3)
            {
                ar = Avx512F.MaskLoad(a + 3 * lda + p, mask, default);
                s30 = Avx512F.FusedMultiplyAdd(ar, b0, s30);
                if (TCols.Value > 1) s31 = Avx512F.FusedMultiplyAdd(ar, b1, s31);
                if (TCols.Value > 2) s32 = Avx512F.FusedMultiplyAdd(ar, b2, s32);
                if (TCols.Value > 3) s33 = Avx512F.FusedMultiplyAdd(ar, b3, s33);
            }
        }

        StoreSums<TCols>(Sum4(s00, s01, s02, s03), c, accumulate);
        if (TRows.Value > 1) StoreSums<TCols>(Sum4(s10, s11, s12, s13), c + ldc, accumulate);
        if (TRows.Value > 2) StoreSums<TCols>(Sum4(s20, s21, s22, s23), c + 2 * ldc, accumulate);
        if (TRows.Value > 3) StoreSums<TCols>(Sum4(s30, s31, s32, s33), c + 3 * ldc, accumulate);
    }

    /// <summary>c[j] (+)= sums[j] for j &lt; TCols.</summary>
    private static void StoreSums<TCols>(Vector128<float> sums, float* c, bool accumulate)
        where TCols : struct, ICount
    {
        if (TCols.Value == 4)
        {
            if (accumulate)
                sums += Vector128.Load(c);
            sums.Store(c);
            return;
        }
        for (int j = 0; j < TCols.Value; j++)
            c[j] = accumulate ? c[j] + sums.GetElement(j) : sums.GetElement(j);
    }

    /// <summary>
    /// [Σ x0, Σ x1, Σ x2, Σ x3] in three halving steps that reduce the four vectors together:
    /// 256-bit halves added pairwise, then 128-bit quarters, then the four lanes inside each quarter.
    /// </summary>
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
    private static Vector512<float> ColumnMask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    private static StridedMatrix Offset(StridedMatrix x, int row, int col) => new(x.At(row, col), x.RowStride, x.ColStride);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
