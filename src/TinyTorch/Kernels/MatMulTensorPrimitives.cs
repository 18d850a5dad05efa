using System.Numerics.Tensors;

namespace TinyTorch.Kernels;

/// <summary>
/// Matmul as a sequence of <see cref="TensorPrimitives"/> row operations (which pick the widest vectors the CPU has):
/// with B's rows contiguous (A·B, Aᵀ·B) scaled rows of B are added into each row of C (C[i,:] += A(i,p)·B[p,:]);
/// with B stored transposed (A·Bᵀ) each element is one dot product of contiguous rows.
/// No register blocking, so every step streams a whole row of C through memory: the reference the blocked kernels must beat.
/// </summary>
internal static unsafe class MatMulTensorPrimitives
{
    /// <summary>C[m,n] (+)= A·B; B has contiguous rows, or A contiguous rows and B stored transposed.</summary>
    public static void Gemm(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            var cRow = new Span<float>(c + (nint)i * n, n);
            if (b.ColStride == 1)
            {
                if (!accumulate)
                    cRow.Clear();
                // C[i,:] += A(i,p) · B[p,:]
                for (int p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(b.At(p, 0), n), *a.At(i, p), cRow, cRow);
            }
            else
            {
                var aRow = new ReadOnlySpan<float>(a.At(i, 0), k);
                for (int j = 0; j < n; j++)
                {
                    // C[i,j] = A[i,:]·Bᵀ[j,:]
                    float dot = TensorPrimitives.Dot(aRow, new ReadOnlySpan<float>(b.At(0, j), k));
                    cRow[j] = accumulate ? cRow[j] + dot : dot;
                }
            }
        }
    }
}
