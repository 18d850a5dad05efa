using System.Numerics.Tensors;

namespace TinyTorch.Kernels;

/// <summary>
/// Matmul as a sequence of <see cref="TensorPrimitives"/> row operations (which pick the widest vectors the CPU has):
/// A·B and Aᵀ·B add scaled rows of B into each row of C (C[i,:] += A(i,p)·B[p,:]); A·Bᵀ takes one dot product per element.
/// No register blocking, so every step streams a whole row of C through memory: the reference the blocked kernels must beat.
/// </summary>
public static class MatMulTensorPrimitives
{
    /// <summary>C[m,n] (+)= A[m,k] · B[k,n].</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
            AddScaledRows(a, i * k, 1, b, c.Slice(i * n, n), k, n, accumulate);
    }

    /// <summary>C[m,n] (+)= Aᵀ · B where A is stored [k,m] and B is [k,n].</summary>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
            AddScaledRows(a, i, m, b, c.Slice(i * n, n), k, n, accumulate);
    }

    /// <summary>C[m,n] (+)= A · Bᵀ where A is [m,k] and B is stored [n,k].</summary>
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> aRow = a.Slice(i * k, k);
            for (int j = 0; j < n; j++)
            {
                // C[i,j] = A[i,:]·B[j,:]
                float dot = TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
                c[i * n + j] = accumulate ? c[i * n + j] + dot : dot;
            }
        }
    }

    /// <summary>cRow (+)= Σ_p a[offset + p·stride] · B[p,:]: one MultiplyAdd per p.</summary>
    private static void AddScaledRows(ReadOnlySpan<float> a, int offset, int stride, ReadOnlySpan<float> b, Span<float> cRow, int k, int n, bool accumulate)
    {
        if (!accumulate)
            cRow.Clear();
        for (int p = 0; p < k; p++)
        {
            // C[i,:] += A(i,p) · B[p,:]
            TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), a[offset + p * stride], cRow, cRow);
        }
    }
}
