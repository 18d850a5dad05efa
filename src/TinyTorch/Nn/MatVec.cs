using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyTorch.Nn;

/// <summary>
/// The single-observation linear layer y = act(W·x + b) for <see cref="MlpWorkspace.ForwardSingle"/>: with one input
/// row the matmul is a matrix-vector product, where a general kernel's blocking and packing cost more than they save.
/// Each output is a dot product of a contiguous weight row with x; several rows share every load of x.
/// </summary>
internal static class MatVec
{
    private const int Rows = 4;

    /// <summary>y[j] = b[j] + Σ_i W[j,i]·x[i], then max(·, 0) when <paramref name="relu"/>. W is [y.Length, x.Length]; b may be empty.</summary>
    public static void Linear(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> y, bool relu)
    {
        if (weight.Length != x.Length * y.Length || (!bias.IsEmpty && bias.Length != y.Length))
            throw new ArgumentException($"matvec: weight of {weight.Length}, bias of {bias.Length}, x of {x.Length} and y of {y.Length} elements do not fit.");
        if (Vector512.IsHardwareAccelerated && Avx.IsSupported && x.Length >= Vector512<float>.Count)
            DotRows512(weight, x, y);
        else if (x.Length >= Vector512<float>.Count)
            DotRowsPortable(weight, x, y);
        else
            DotRowsScalar(weight, x, y);

        if (!bias.IsEmpty)
            TensorPrimitives.Add(y, bias, y);
        if (relu)
            TensorPrimitives.Max(y, 0f, y);
    }

    /// <summary>
    /// y[j] = Σ_i W[j,i]·x[i] with 512-bit FMAs, eight rows at a time: one accumulator per row, each load of x shared by
    /// the eight rows. The eight accumulators are then reduced together (halving, then horizontal adds) into one
    /// 256-bit vector of eight sums, which costs far less than reducing each accumulator on its own.
    /// </summary>
    internal static void DotRows512(ReadOnlySpan<float> weight, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, outputs = y.Length;
        int vectorEnd = n - n % Vector512<float>.Count;
        ref float w = ref MemoryMarshal.GetReference(weight);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int j = 0;
        for (; j + 8 <= outputs; j += 8)
        {
            ref float w0 = ref Unsafe.Add(ref w, j * n);
            ref float w1 = ref Unsafe.Add(ref w0, n);
            ref float w2 = ref Unsafe.Add(ref w1, n);
            ref float w3 = ref Unsafe.Add(ref w2, n);
            ref float w4 = ref Unsafe.Add(ref w3, n);
            ref float w5 = ref Unsafe.Add(ref w4, n);
            ref float w6 = ref Unsafe.Add(ref w5, n);
            ref float w7 = ref Unsafe.Add(ref w6, n);
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int i = 0; i < vectorEnd; i += Vector512<float>.Count)
            {
                Vector512<float> xv = Vector512.LoadUnsafe(ref xr, (nuint)i);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w0, (nuint)i), xv, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w1, (nuint)i), xv, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w2, (nuint)i), xv, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w3, (nuint)i), xv, a3);
                a4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w4, (nuint)i), xv, a4);
                a5 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w5, (nuint)i), xv, a5);
                a6 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w6, (nuint)i), xv, a6);
                a7 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w7, (nuint)i), xv, a7);
            }
            Vector256<float> sums = Reduce8(a0, a1, a2, a3, a4, a5, a6, a7);
            sums.StoreUnsafe(ref yr, (nuint)j);
            for (int i = vectorEnd; i < n; i++)
            {
                float xi = Unsafe.Add(ref xr, i);
                for (int r = 0; r < 8; r++)
                    Unsafe.Add(ref yr, j + r) += Unsafe.Add(ref w0, r * n + i) * xi;
            }
        }
        for (; j < outputs; j++)
        {
            ref float wj = ref Unsafe.Add(ref w, j * n);
            Vector512<float> a = Vector512<float>.Zero;
            for (int i = 0; i < vectorEnd; i += Vector512<float>.Count)
                a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wj, (nuint)i), Vector512.LoadUnsafe(ref xr, (nuint)i), a);
            float s = Vector512.Sum(a);
            for (int i = vectorEnd; i < n; i++)
                s += Unsafe.Add(ref wj, i) * Unsafe.Add(ref xr, i);
            Unsafe.Add(ref yr, j) = s;
        }
    }

    /// <summary>[Σ a0, Σ a1, …, Σ a7]: each 512-bit vector halved to 256 bits, then three rounds of pairwise horizontal adds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reduce8(
        Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        Vector512<float> a4, Vector512<float> a5, Vector512<float> a6, Vector512<float> a7)
    {
        Vector256<float> h0 = a0.GetLower() + a0.GetUpper(), h1 = a1.GetLower() + a1.GetUpper();
        Vector256<float> h2 = a2.GetLower() + a2.GetUpper(), h3 = a3.GetLower() + a3.GetUpper();
        Vector256<float> h4 = a4.GetLower() + a4.GetUpper(), h5 = a5.GetLower() + a5.GetUpper();
        Vector256<float> h6 = a6.GetLower() + a6.GetUpper(), h7 = a7.GetLower() + a7.GetUpper();
        // within each 128-bit lane: [row0 pair sums, row1 pair sums], then [row0..row3 lane sums]
        Vector256<float> q0123 = Avx.HorizontalAdd(Avx.HorizontalAdd(h0, h1), Avx.HorizontalAdd(h2, h3));
        Vector256<float> q4567 = Avx.HorizontalAdd(Avx.HorizontalAdd(h4, h5), Avx.HorizontalAdd(h6, h7));
        // q0123 = [s0..s3 of lane 0 | s0..s3 of lane 1]: add the lanes, rows 0–3 below rows 4–7
        return Avx.Permute2x128(q0123, q4567, 0x20) + Avx.Permute2x128(q0123, q4567, 0x31);
    }

    /// <summary>y[j] = Σ_i W[j,i]·x[i] row by row with TensorPrimitives.Dot, for machines without 512-bit vectors.</summary>
    internal static void DotRowsPortable(ReadOnlySpan<float> weight, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length;
        for (int j = 0; j < y.Length; j++)
            y[j] = TensorPrimitives.Dot(weight.Slice(j * n, n), x);
    }

    /// <summary>y[j] = Σ_i W[j,i]·x[i] in scalar code, for inputs narrower than a vector (an observation of 4 floats).</summary>
    internal static void DotRowsScalar(ReadOnlySpan<float> weight, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, outputs = y.Length;
        ref float w = ref MemoryMarshal.GetReference(weight);
        ref float xr = ref MemoryMarshal.GetReference(x);
        int j = 0;
        for (; j + Rows <= outputs; j += Rows)
        {
            ref float w0 = ref Unsafe.Add(ref w, j * n);
            ref float w1 = ref Unsafe.Add(ref w0, n);
            ref float w2 = ref Unsafe.Add(ref w1, n);
            ref float w3 = ref Unsafe.Add(ref w2, n);
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (int i = 0; i < n; i++)
            {
                float xi = Unsafe.Add(ref xr, i);
                s0 += Unsafe.Add(ref w0, i) * xi;
                s1 += Unsafe.Add(ref w1, i) * xi;
                s2 += Unsafe.Add(ref w2, i) * xi;
                s3 += Unsafe.Add(ref w3, i) * xi;
            }
            y[j] = s0;
            y[j + 1] = s1;
            y[j + 2] = s2;
            y[j + 3] = s3;
        }
        for (; j < outputs; j++)
        {
            ref float wj = ref Unsafe.Add(ref w, j * n);
            float s = 0f;
            for (int i = 0; i < n; i++)
                s += Unsafe.Add(ref wj, i) * Unsafe.Add(ref xr, i);
            y[j] = s;
        }
    }
}
