namespace TinyTorch.Kernels;

/// <summary>
/// Dense float32 matrix products over row-major spans, in the three forms autograd needs:
/// C = A·B (forward), C = Aᵀ·B and C = A·Bᵀ (backward), each without materialising a transpose.
/// With <c>accumulate</c> the product is added into C (C += ...), which is how gradients accumulate.
/// </summary>
public static class MatMul
{
    /// <summary>The kernel used when none is named.</summary>
    public static MatMulKernel Default { get; set; } = MatMulKernel.Vector512;

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
            case MatMulKernel.Naive: MatMulNaive.Multiply(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.VectorT: MatMulVectorT.Multiply(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.Vector256: MatMulVector256.Multiply(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.Vector512: MatMulVector512.Multiply(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.TensorPrimitives: MatMulTensorPrimitives.Multiply(a, b, c, m, k, n, accumulate); break;
            default: throw UnknownKernel(kernel);
        }
    }

    public static void MultiplyTransposedA(MatMulKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        switch (kernel)
        {
            case MatMulKernel.Naive: MatMulNaive.MultiplyTransposedA(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.VectorT: MatMulVectorT.MultiplyTransposedA(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.Vector256: MatMulVector256.MultiplyTransposedA(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.Vector512: MatMulVector512.MultiplyTransposedA(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.TensorPrimitives: MatMulTensorPrimitives.MultiplyTransposedA(a, b, c, m, k, n, accumulate); break;
            default: throw UnknownKernel(kernel);
        }
    }

    public static void MultiplyTransposedB(MatMulKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        switch (kernel)
        {
            case MatMulKernel.Naive: MatMulNaive.MultiplyTransposedB(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.VectorT: MatMulVectorT.MultiplyTransposedB(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.Vector256: MatMulVector256.MultiplyTransposedB(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.Vector512: MatMulVector512.MultiplyTransposedB(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.TensorPrimitives: MatMulTensorPrimitives.MultiplyTransposedB(a, b, c, m, k, n, accumulate); break;
            default: throw UnknownKernel(kernel);
        }
    }

    private static void Validate(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        if (m < 0 || k < 0 || n < 0)
            throw new ArgumentException($"matmul: dimensions must be non-negative, got m={m}, k={k}, n={n}.");
        // long products: m·k can overflow int for dimensions that are each valid.
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException(
                $"matmul: spans of {a.Length}, {b.Length}, {c.Length} elements are too short for m={m}, k={k}, n={n} " +
                $"(A needs {(long)m * k}, B needs {(long)k * n}, C needs {(long)m * n}).");
    }

    private static ArgumentOutOfRangeException UnknownKernel(MatMulKernel kernel) =>
        new(nameof(kernel), kernel, $"matmul: unknown kernel {kernel}; expected one of {string.Join(", ", Enum.GetNames<MatMulKernel>())}.");
}
