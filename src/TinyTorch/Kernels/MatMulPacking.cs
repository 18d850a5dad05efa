using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyTorch.Kernels;

/// <summary>
/// Copies a block of an operand into the order a register-blocked micro-kernel reads it, and owns the reusable buffers.
/// A "panel" of height h holds h rows of the block interleaved along the shared dimension p:
/// element (r, p) of the panel sits at <c>panel[p·h + r]</c>, so one step of p is h consecutive floats.
/// A is packed by its rows (h = tile height); B is packed by its columns, which are the rows of Bᵀ (h = tile width).
/// Packing reads either storage order, so no transpose is ever materialised.
/// </summary>
internal static unsafe class MatMulPacking
{
    [ThreadStatic] private static float[]? t_panelsA;
    [ThreadStatic] private static float[]? t_panelsB;

    /// <summary>A 64-byte aligned scratch buffer of at least <paramref name="length"/> floats for packed A, reused per thread.</summary>
    public static float* BufferA(int length) => Aligned(ref t_panelsA, length);

    /// <summary>A 64-byte aligned scratch buffer of at least <paramref name="length"/> floats for packed B, reused per thread.</summary>
    public static float* BufferB(int length) => Aligned(ref t_panelsB, length);

    /// <summary>
    /// The first <paramref name="rows"/> rows of <paramref name="x"/> (each <paramref name="depth"/> long) with contiguous
    /// rows: x itself when they already are (B stored [n,k] viewed as Bᵀ), otherwise copied out (few rows, for dot products).
    /// </summary>
    public static StridedMatrix ContiguousRows(StridedMatrix x, int rows, int depth)
    {
        if (x.ColStride == 1)
            return x;
        float* copy = BufferB(rows * depth);
        for (int r = 0; r < rows; r++)
            for (int p = 0; p < depth; p++)
                copy[r * depth + p] = *x.At(r, p);
        return new StridedMatrix(copy, depth, 1);
    }

    /// <summary>
    /// Packs rows [0, rows) × depth [0, depth) of <paramref name="x"/> into panels of <paramref name="height"/> rows
    /// (a multiple of 8); panel s starts at <c>dst + s·height·depth</c>. The last panel may hold fewer rows: its rows
    /// past the edge are zeros, so a micro-kernel may read it whole (the products it adds there are never stored).
    /// </summary>
    public static void Pack(StridedMatrix x, int rows, int depth, int height, float* dst)
    {
        for (int r0 = 0; r0 < rows; r0 += height)
        {
            int h = Math.Min(height, rows - r0);
            float* panel = dst + (nint)r0 * depth;
            float* src = x.Data + r0 * x.RowStride;
            if (x.ColStride == 1)
                PackContiguousRows(src, x.RowStride, h, depth, height, panel);
            else if (x.RowStride == 1)
                PackContiguousColumns(src, x.ColStride, h, depth, height, panel);
            else
                PackScalar(src, x.RowStride, x.ColStride, h, depth, height, panel);
        }
    }

    /// <summary>
    /// Each row runs along p: 8×8 blocks are transposed in registers; the last depth % 8 steps too, with masked loads,
    /// and the last rows % 8 rows of a partial panel (for example the 20 rows left of 84 columns) with the missing rows
    /// read as zeros; the rest of the padding is zeroed too.
    /// </summary>
    private static void PackContiguousRows(float* src, nint rowStride, int rows, int depth, int height, float* panel)
    {
        for (int p = 0; p < depth; p += 8)
        {
            int steps = Math.Min(8, depth - p);
            for (int r = 0; r < rows; r += 8)
                Transpose8x8(src + r * rowStride + p, rowStride, Math.Min(8, rows - r), panel + p * height + r, height, steps);
        }
        // Whole blocks of 8 padding rows past the last one transposed.
        for (int p = 0; p < depth; p++)
            for (int r = (rows + 7) & ~7; r < height; r += 8)
                Vector256.Store(Vector256<float>.Zero, panel + p * height + r);
    }

    /// <summary>
    /// Each step of p is already consecutive floats: copied 8 at a time, the last 8 of a partial panel with a masked load
    /// (nothing past row <paramref name="rows"/> is touched; the lanes past it are stored as zeros).
    /// </summary>
    private static void PackContiguousColumns(float* src, nint colStride, int rows, int depth, int height, float* panel)
    {
        for (int p = 0; p < depth; p++)
        {
            float* from = src + p * colStride;
            float* to = panel + p * height;
            for (int r = 0; r < height; r += 8)
            {
                Vector256<float> step = r + 8 <= rows
                    ? Vector256.Load(from + r)
                    : Avx.MaskLoad(from + r, Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(rows - r)).AsSingle());
                Vector256.Store(step, to + r);
            }
        }
    }

    /// <summary>Any strides, and a partial panel of rows running along p: element by element, rows from <paramref name="rows"/> on set to 0.</summary>
    private static void PackScalar(float* src, nint rowStride, nint colStride, int rows, int depth, int height, float* panel)
    {
        for (int p = 0; p < depth; p++)
        {
            float* to = panel + p * height;
            for (int r = 0; r < rows; r++)
                to[r] = src[r * rowStride + p * colStride];
            for (int r = rows; r < height; r++)
                to[r] = 0f;
        }
    }

    /// <summary>
    /// dst[p·dstStride + r] = src[r·srcStride + p] for r in [0, 8) and p in [0, count): the classic AVX 8×8 transpose
    /// (pairs interleaved, then quads, then 128-bit halves swapped), 24 shuffles for 64 floats.
    /// With count &lt; 8 the loads are masked (nothing past column count is touched) and only count rows are stored.
    /// Only the first <paramref name="rows"/> source rows are read; the others count as zeros (stored like the rest).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint srcStride, int rows, float* dst, nint dstStride, int count)
    {
        Vector256<float> r0, r1, r2, r3, r4, r5, r6, r7;
        if (count == 8 && rows == 8)
        {
            r0 = Vector256.Load(src); r1 = Vector256.Load(src + srcStride);
            r2 = Vector256.Load(src + 2 * srcStride); r3 = Vector256.Load(src + 3 * srcStride);
            r4 = Vector256.Load(src + 4 * srcStride); r5 = Vector256.Load(src + 5 * srcStride);
            r6 = Vector256.Load(src + 6 * srcStride); r7 = Vector256.Load(src + 7 * srcStride);
        }
        else
        {
            Vector256<float> mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();
            r0 = Avx.MaskLoad(src, mask);
            r1 = rows > 1 ? Avx.MaskLoad(src + srcStride, mask) : default;
            r2 = rows > 2 ? Avx.MaskLoad(src + 2 * srcStride, mask) : default;
            r3 = rows > 3 ? Avx.MaskLoad(src + 3 * srcStride, mask) : default;
            r4 = rows > 4 ? Avx.MaskLoad(src + 4 * srcStride, mask) : default;
            r5 = rows > 5 ? Avx.MaskLoad(src + 5 * srcStride, mask) : default;
            r6 = rows > 6 ? Avx.MaskLoad(src + 6 * srcStride, mask) : default;
            r7 = rows > 7 ? Avx.MaskLoad(src + 7 * srcStride, mask) : default;
        }

        // t0 = [r00 r10 r01 r11 | r04 r14 r05 r15], t1 = [r02 r12 r03 r13 | r06 r16 r07 r17], ...
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        // u0 = [r00 r10 r20 r30 | r04 r14 r24 r34]: column 0 | column 4 of rows 0..3, and so on.
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        // Join the rows 0..3 half of a column with its rows 4..7 half.
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x20), dst);
        if (count > 1) Vector256.Store(Avx.Permute2x128(u1, u5, 0x20), dst + dstStride);
        if (count > 2) Vector256.Store(Avx.Permute2x128(u2, u6, 0x20), dst + 2 * dstStride);
        if (count > 3) Vector256.Store(Avx.Permute2x128(u3, u7, 0x20), dst + 3 * dstStride);
        if (count > 4) Vector256.Store(Avx.Permute2x128(u0, u4, 0x31), dst + 4 * dstStride);
        if (count > 5) Vector256.Store(Avx.Permute2x128(u1, u5, 0x31), dst + 5 * dstStride);
        if (count > 6) Vector256.Store(Avx.Permute2x128(u2, u6, 0x31), dst + 6 * dstStride);
        if (count > 7) Vector256.Store(Avx.Permute2x128(u3, u7, 0x31), dst + 7 * dstStride);
    }

    /// <summary>
    /// Pinned (so the address is stable) and over-allocated by one cache line so the returned pointer is 64-byte aligned:
    /// a 512-bit load that straddles two cache lines costs two.
    /// </summary>
    private static float* Aligned(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length + 16)
            buffer = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((start + 63) & ~(nint)63);
    }
}
