using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace TinyTorch.Kernels;

/// <summary>
/// 128-bit matmul on the cross-platform <see cref="Vector128"/> API, for CPUs without AVX2 (x64 with SSE only) and for
/// Arm64 (AdvSimd): C in 6×8 tiles, each held in 12 registers while p runs (16 xmm registers on x64, 32 on Arm64).
/// Each 8-column panel of B is packed once, padded with zeros past C's right edge, and reused by every row tile, so the
/// micro-kernel needs no masked loads (which Vector128 does not offer); a tile at the edge works on a scratch tile and
/// writes back only the columns inside C. A is read in place in either layout. Multiply-adds are fused where the CPU has
/// FMA (<see cref="Vector128.MultiplyAddEstimate(Vector128{float}, Vector128{float}, Vector128{float})"/>), otherwise a
/// multiply then an add. Falls back to <see cref="MatMulVectorT"/> when 128-bit vectors are not hardware accelerated.
/// </summary>
internal static unsafe class MatMulVector128
{
    private const int MR = 6;
    private const int NR = 8;

    /// <summary>True when this CPU runs 128-bit vectors natively.</summary>
    public static bool IsSupported => Vector128.IsHardwareAccelerated;

    /// <summary>C[m,n] (+)= A·B for any strides of A [m,k] and B [k,n]; C is row-major with n columns.</summary>
    public static void Gemm(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        if (!IsSupported)
        {
            MatMulVectorT.Gemm(a, b, c, m, k, n, accumulate);
            return;
        }
        float* panel = MatMulPacking.BufferB(k * NR);
        float* scratch = stackalloc float[MR * NR];
        for (int j0 = 0; j0 < n; j0 += NR)
        {
            int cols = Math.Min(NR, n - j0);
            PackPanel(b, j0, cols, k, panel);
            for (int i0 = 0; i0 < m; i0 += MR)
                Tile(Math.Min(MR, m - i0), a.At(i0, 0), a.RowStride, a.ColStride, panel, c + (nint)i0 * n + j0, n, cols, k,
                    accumulate, scratch);
        }
    }

    /// <summary>panel[p·8 + j] = B(p, j0 + j) for j &lt; cols, and 0 for the columns past C's edge.</summary>
    private static void PackPanel(StridedMatrix b, int j0, int cols, int k, float* panel)
    {
        for (int p = 0; p < k; p++)
        {
            float* row = panel + (nint)p * NR;
            float* from = b.At(p, j0);
            if (cols == NR && b.ColStride == 1)
            {
                Vector128.Store(Vector128.Load(from), row);
                Vector128.Store(Vector128.Load(from + 4), row + 4);
            }
            else
            {
                for (int j = 0; j < NR; j++)
                    row[j] = j < cols ? from[j * b.ColStride] : 0f;
            }
        }
    }

    private static void Tile(int rows, float* a, nint rowStride, nint depthStride, float* b, float* c, nint ldc, int cols,
        int depth, bool addToC, float* scratch)
    {
        switch (rows)
        {
            case 6: Tile<Count6>(a, rowStride, depthStride, b, c, ldc, cols, depth, addToC, scratch); break;
            case 5: Tile<Count5>(a, rowStride, depthStride, b, c, ldc, cols, depth, addToC, scratch); break;
            case 4: Tile<Count4>(a, rowStride, depthStride, b, c, ldc, cols, depth, addToC, scratch); break;
            case 3: Tile<Count3>(a, rowStride, depthStride, b, c, ldc, cols, depth, addToC, scratch); break;
            case 2: Tile<Count2>(a, rowStride, depthStride, b, c, ldc, cols, depth, addToC, scratch); break;
            default: Tile<Count1>(a, rowStride, depthStride, b, c, ldc, cols, depth, addToC, scratch); break;
        }
    }

    /// <summary>
    /// The micro-kernel: C[r, 0..8) (+)= Σ_p A(r,p) · B(p, 0..8) for r &lt; TRows ≤ 6, with A(r,p) = a[r·rowStride + p·depthStride]
    /// and B(p, ·) = b[p·8 ..] (a packed panel). With fewer than 8 columns left, C's rows are staged in
    /// <paramref name="scratch"/> (8 wide) and only <paramref name="cols"/> columns are written back. Call-free loop body.
    /// </summary>
    private static void Tile<TRows>(float* a, nint rowStride, nint depthStride, float* b, float* c, nint ldc, int cols,
        int depth, bool addToC, float* scratch)
        where TRows : struct, ICount
    {
        float* target = c;
        nint ldt = ldc;
        if (cols < NR)
        {
            if (addToC)
                for (int r = 0; r < TRows.Value; r++)
                    for (int j = 0; j < NR; j++)
                        scratch[r * NR + j] = j < cols ? c[r * ldc + j] : 0f;
            target = scratch;
            ldt = NR;
        }

        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        if (addToC)
        {
            float* cr = target;
            c00 = Vector128.Load(cr); c01 = Vector128.Load(cr + 4);
            if (TRows.Value > 1) { cr += ldt; c10 = Vector128.Load(cr); c11 = Vector128.Load(cr + 4); }
            if (TRows.Value > 2) { cr += ldt; c20 = Vector128.Load(cr); c21 = Vector128.Load(cr + 4); }
            if (TRows.Value > 3) { cr += ldt; c30 = Vector128.Load(cr); c31 = Vector128.Load(cr + 4); }
            if (TRows.Value > 4) { cr += ldt; c40 = Vector128.Load(cr); c41 = Vector128.Load(cr + 4); }
            if (TRows.Value > 5) { cr += ldt; c50 = Vector128.Load(cr); c51 = Vector128.Load(cr + 4); }
        }

        nint rs2 = 2 * rowStride, rs3 = 3 * rowStride, rs4 = 4 * rowStride;
        for (int p = 0; p < depth; p++)
        {
            // c[r] += A(r,p) · B(p, ·)
            Vector128<float> b0 = Vector128.Load(b), b1 = Vector128.Load(b + 4);
            float* a4 = a + rs4;
            Vector128<float> ar = Broadcast(a);
            c00 = Vector128.MultiplyAddEstimate(ar, b0, c00); c01 = Vector128.MultiplyAddEstimate(ar, b1, c01);
            if (TRows.Value > 1) { ar = Broadcast(a + rowStride); c10 = Vector128.MultiplyAddEstimate(ar, b0, c10); c11 = Vector128.MultiplyAddEstimate(ar, b1, c11); }
            if (TRows.Value > 2) { ar = Broadcast(a + rs2); c20 = Vector128.MultiplyAddEstimate(ar, b0, c20); c21 = Vector128.MultiplyAddEstimate(ar, b1, c21); }
            if (TRows.Value > 3) { ar = Broadcast(a + rs3); c30 = Vector128.MultiplyAddEstimate(ar, b0, c30); c31 = Vector128.MultiplyAddEstimate(ar, b1, c31); }
            if (TRows.Value > 4) { ar = Broadcast(a4); c40 = Vector128.MultiplyAddEstimate(ar, b0, c40); c41 = Vector128.MultiplyAddEstimate(ar, b1, c41); }
            if (TRows.Value > 5) { ar = Broadcast(a4 + rowStride); c50 = Vector128.MultiplyAddEstimate(ar, b0, c50); c51 = Vector128.MultiplyAddEstimate(ar, b1, c51); }
            a += depthStride;
            b += NR;
        }

        float* t = target;
        Vector128.Store(c00, t); Vector128.Store(c01, t + 4);
        if (TRows.Value > 1) { t += ldt; Vector128.Store(c10, t); Vector128.Store(c11, t + 4); }
        if (TRows.Value > 2) { t += ldt; Vector128.Store(c20, t); Vector128.Store(c21, t + 4); }
        if (TRows.Value > 3) { t += ldt; Vector128.Store(c30, t); Vector128.Store(c31, t + 4); }
        if (TRows.Value > 4) { t += ldt; Vector128.Store(c40, t); Vector128.Store(c41, t + 4); }
        if (TRows.Value > 5) { t += ldt; Vector128.Store(c50, t); Vector128.Store(c51, t + 4); }

        if (cols < NR)
            for (int r = 0; r < TRows.Value; r++)
                new ReadOnlySpan<float>(scratch + r * NR, cols).CopyTo(new Span<float>(c + r * ldc, cols));
    }

    /// <summary>
    /// *<paramref name="source"/> in all four lanes, as one load where the CPU has one (AVX's vbroadcastss, Arm64's ld1r):
    /// the portable Vector128.Create(value) is a load and a shuffle on x64, and the shuffles took a fifth of the
    /// micro-kernel's FP issue slots (six per twelve multiply-adds) when FMA is off. Inlined: the loop stays call-free.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Broadcast(float* source)
    {
        if (Avx.IsSupported)
            return Avx.BroadcastScalarToVector128(source);
        if (AdvSimd.IsSupported)
            return AdvSimd.LoadAndReplicateToVector128(source);
        return Vector128.Create(*source);
    }
}
