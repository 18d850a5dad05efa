using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TinyTorch.Nn;

/// <summary>
/// The single-observation linear layer y = act(W·x + b) for <see cref="MlpWorkspace.ForwardSingle"/>: with one input
/// row the matmul is a matrix-vector product, where a general kernel's blocking and packing cost more than they save.
/// Each output is a dot product of a contiguous weight row with x; four rows share every load of x.
/// </summary>
internal static class MatVec
{
    private const int Rows = 4;

    /// <summary>y[j] = b[j] + Σ_i W[j,i]·x[i], then max(·, 0) when <paramref name="relu"/>. W is [y.Length, x.Length]; b may be empty.</summary>
    public static void Linear(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> y, bool relu)
    {
        if (weight.Length != x.Length * y.Length || (!bias.IsEmpty && bias.Length != y.Length))
            throw new ArgumentException($"matvec: weight of {weight.Length}, bias of {bias.Length}, x of {x.Length} and y of {y.Length} elements do not fit.");
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
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

    /// <summary>y[j] = Σ_i W[j,i]·x[i] with 512-bit FMAs: 16 lanes of x per load, one accumulator per row, scalar tail.</summary>
    internal static void DotRows512(ReadOnlySpan<float> weight, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, outputs = y.Length;
        int vectorEnd = n - n % Vector512<float>.Count;
        ref float w = ref MemoryMarshal.GetReference(weight);
        ref float xr = ref MemoryMarshal.GetReference(x);
        int j = 0;
        for (; j + Rows <= outputs; j += Rows)
        {
            ref float w0 = ref Unsafe.Add(ref w, j * n);
            ref float w1 = ref Unsafe.Add(ref w0, n);
            ref float w2 = ref Unsafe.Add(ref w1, n);
            ref float w3 = ref Unsafe.Add(ref w2, n);
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < vectorEnd; i += Vector512<float>.Count)
            {
                Vector512<float> xv = Vector512.LoadUnsafe(ref xr, (nuint)i);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w0, (nuint)i), xv, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w1, (nuint)i), xv, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w2, (nuint)i), xv, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w3, (nuint)i), xv, a3);
            }
            float s0 = Vector512.Sum(a0), s1 = Vector512.Sum(a1), s2 = Vector512.Sum(a2), s3 = Vector512.Sum(a3);
            for (int i = vectorEnd; i < n; i++)
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
            Vector512<float> a = Vector512<float>.Zero;
            for (int i = 0; i < vectorEnd; i += Vector512<float>.Count)
                a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wj, (nuint)i), Vector512.LoadUnsafe(ref xr, (nuint)i), a);
            float s = Vector512.Sum(a);
            for (int i = vectorEnd; i < n; i++)
                s += Unsafe.Add(ref wj, i) * Unsafe.Add(ref xr, i);
            y[j] = s;
        }
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
