namespace TinyTorch.Kernels;

/// <summary>The scalar triple loop: slow, obviously correct, and the baseline of every benchmark.</summary>
internal static unsafe class MatMulNaive
{
    /// <summary>C[i,j] (+)= Σ_p A(i,p)·B(p,j) for any strides of A and B.</summary>
    public static void Gemm(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                    sum += *a.At(i, p) * *b.At(p, j);
                float* target = c + (nint)i * n + j;
                *target = accumulate ? *target + sum : sum;
            }
    }
}
