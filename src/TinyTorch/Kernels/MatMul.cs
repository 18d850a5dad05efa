namespace TinyTorch.Kernels;

/// <summary>
/// Dense float32 matrix products over row-major spans, in the three forms autograd needs:
/// C = A·B (forward), C = Aᵀ·B and C = A·Bᵀ (backward), each without materialising a transpose.
/// With <c>accumulate</c> the product is added into C (C += ...), which is how gradients accumulate.
/// </summary>
public static class MatMul
{
    /// <summary>The kernel used when none is named.</summary>
    public static MatMulKernel Default { get; set; } = MatMulKernel.Naive;

    /// <summary>C[m,n] (+)= A[m,k] · B[k,n].</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        Multiply(Default, a, b, c, m, k, n, accumulate);

    /// <summary>C[m,n] (+)= Aᵀ · B where A is stored [k,m] and B is [k,n].</summary>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        MultiplyTransposedA(Default, a, b, c, m, k, n, accumulate);

    /// <summary>C[m,n] (+)= A · Bᵀ where A is [m,k] and B is stored [n,k].</summary>
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        MultiplyTransposedB(Default, a, b, c, m, k, n, accumulate);

    public static void Multiply(MatMulKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        switch (kernel)
        {
            default:
                MatMulNaive.Multiply(a, b, c, m, k, n, accumulate);
                break;
        }
    }

    public static void MultiplyTransposedA(MatMulKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        switch (kernel)
        {
            default:
                MatMulNaive.MultiplyTransposedA(a, b, c, m, k, n, accumulate);
                break;
        }
    }

    public static void MultiplyTransposedB(MatMulKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        switch (kernel)
        {
            default:
                MatMulNaive.MultiplyTransposedB(a, b, c, m, k, n, accumulate);
                break;
        }
    }

    private static void Validate(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        if (m < 0 || k < 0 || n < 0)
            throw new ArgumentException($"matmul: dimensions must be non-negative, got m={m}, k={k}, n={n}.");
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n)
            throw new ArgumentException($"matmul: spans of {a.Length}, {b.Length}, {c.Length} elements are too short for m={m}, k={k}, n={n}.");
    }
}
