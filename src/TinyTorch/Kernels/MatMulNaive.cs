namespace TinyTorch.Kernels;

/// <summary>The scalar triple loops: slow, obviously correct, and the baseline of every benchmark.</summary>
public static class MatMulNaive
{
    /// <summary>C[i,j] (+)= Σ_p A[i,p]·B[p,j].</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                    sum += a[i * k + p] * b[p * n + j];
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
    }

    /// <summary>C[i,j] (+)= Σ_p A[p,i]·B[p,j] (A stored [k,m]).</summary>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                    sum += a[p * m + i] * b[p * n + j];
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
    }

    /// <summary>C[i,j] (+)= Σ_p A[i,p]·B[j,p] (B stored [n,k]).</summary>
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                    sum += a[i * k + p] * b[j * k + p];
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
    }
}
