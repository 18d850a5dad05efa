namespace TinyTorch.Kernels;

/// <summary>
/// Dense float32 matrix products over row-major spans, in the three forms autograd needs:
/// C = A·B (forward), C = Aᵀ·B and C = A·Bᵀ (backward), each without materialising a transpose.
/// With <c>accumulate</c> the product is added into C (C += ...), which is how gradients accumulate.
/// The overloads without a kernel use <see cref="MatMulKernel.Vector512"/>, which runs the widest kernel the CPU has
/// (512 → 256 → 128 bits → portable Vector&lt;T&gt;); the overloads with one run that kernel (benchmarks and tests compare them).
/// Each form only describes A and B as strided views (<see cref="StridedMatrix"/>); every kernel then serves all three.
/// </summary>
/// <exception cref="ArgumentException">A dimension is negative, or a span is shorter than its matrix.</exception>
/// <exception cref="ArgumentOutOfRangeException">The kernel is not a <see cref="MatMulKernel"/> value.</exception>
public static unsafe class MatMul
{
    /// <summary>C[m,n] (+)= A[m,k] · B[k,n], with the fastest kernel for this CPU.</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        Multiply(MatMulKernel.Vector512, a, b, c, m, k, n, accumulate);

    /// <summary>C[m,n] (+)= Aᵀ · B where A is stored [k,m] and B is [k,n], with the fastest kernel for this CPU.</summary>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        MultiplyTransposedA(MatMulKernel.Vector512, a, b, c, m, k, n, accumulate);

    /// <summary>C[m,n] (+)= A · Bᵀ where A is [m,k] and B is stored [n,k], with the fastest kernel for this CPU.</summary>
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        MultiplyTransposedB(MatMulKernel.Vector512, a, b, c, m, k, n, accumulate);

    /// <summary>C[m,n] (+)= A[m,k] · B[k,n] with the named kernel: A has strides (k, 1), B (n, 1).</summary>
    public static void Multiply(MatMulKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        fixed (float* pa = a, pb = b, pc = c)
            Gemm(kernel, new StridedMatrix(pa, k, 1), new StridedMatrix(pb, n, 1), pc, m, k, n, accumulate);
    }

    /// <summary>C[m,n] (+)= Aᵀ · B with the named kernel: A stored [k,m] is viewed with strides (1, m), B (n, 1).</summary>
    public static void MultiplyTransposedA(MatMulKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        fixed (float* pa = a, pb = b, pc = c)
            Gemm(kernel, new StridedMatrix(pa, 1, m), new StridedMatrix(pb, n, 1), pc, m, k, n, accumulate);
    }

    /// <summary>
    /// A linear layer's forward fused with its bias and ReLU: y[m,n] = x[m,k] · Wᵀ + b, then max(·, 0) when
    /// <paramref name="relu"/>, W stored [n,k] and b [n]: the same values as <see cref="MultiplyTransposedB(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/>
    /// followed by the bias and the activation, in one pass over y. Returns false, leaving y untouched, when the fused
    /// path does not apply (no AVX-512; 4 or fewer rows or columns; a product that would now be split across threads, <see cref="MatMulThreads.WouldSplit"/>):
    /// the caller then runs the product and its own pass.
    /// </summary>
    internal static bool TryLinear(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, int m, int k, int n, bool relu)
    {
        Validate(x, weight, y, m, k, n);
        if (!FusesLinear(bias, n, m, k, n))
            return false;
        fixed (float* px = x, pw = weight, pb = bias, py = y)
            return MatMulVector512.TryLinear(new StridedMatrix(px, k, 1), new StridedMatrix(pw, 1, k), pb, py, m, k, n, relu);
    }

    /// <summary>
    /// A linear layer's forward computed feature-major, fused with its bias and ReLU: yᵀ[n,m] = W[n,k] · xᵀ[k,m] + b
    /// (b [n] added along each row), then max(·, 0) when <paramref name="relu"/>: the weights are read in place (nothing
    /// is packed), and each element gets the same operations in the same order as in <see cref="TryLinear"/>.
    /// Returns false, leaving yᵀ untouched, where <see cref="TryLinear"/> would (here with n and m in its roles of rows and columns).
    /// </summary>
    internal static bool TryLinearFeatureMajor(ReadOnlySpan<float> weight, ReadOnlySpan<float> xT, ReadOnlySpan<float> bias, Span<float> yT, int n, int k, int m, bool relu)
    {
        Validate(weight, xT, yT, n, k, m);
        if (!FusesLinear(bias, n, n, k, m))
            return false;
        fixed (float* pw = weight, px = xT, pb = bias, py = yT)
            return MatMulVector512.TryLinearRowBias(new StridedMatrix(pw, k, 1), new StridedMatrix(px, m, 1), pb, py, n, k, m, relu);
    }

    /// <summary>
    /// A linear layer's input gradient fused with the backward of the layer below it: gx[m,n] = g[m,k] · W[k,n] (W the
    /// weight stored [out, in] = [k, n]), then gx ⊙ [h &gt; 0] when <paramref name="reluOutput"/> h [m,n] (the output of
    /// the ReLU that fed the layer) is not empty, then biasGrad[j] += Σ_i gx[i,j] (rows in order) when
    /// <paramref name="biasGrad"/> is not empty: the same values as <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/>
    /// followed by the mask and the sum in a pass over gx, without the pass. Returns false, leaving gx and biasGrad
    /// untouched, where <see cref="TryLinear"/> would (no AVX-512; 4 or fewer rows or columns; a product split across threads).
    /// </summary>
    internal static bool TryLinearBackward(ReadOnlySpan<float> g, ReadOnlySpan<float> weight, ReadOnlySpan<float> reluOutput, Span<float> biasGrad,
        Span<float> gx, int m, int k, int n)
    {
        Validate(g, weight, gx, m, k, n);
        if (!reluOutput.IsEmpty && reluOutput.Length < (long)m * n)
            throw new ArgumentException($"linear backward: the ReLU output has {reluOutput.Length} values; [{m}, {n}] needs {(long)m * n}.", nameof(reluOutput));
        if (!biasGrad.IsEmpty && biasGrad.Length < n)
            throw new ArgumentException($"linear backward: the bias gradient has {biasGrad.Length} values; {n} inputs need {n}.", nameof(biasGrad));
        if (MatMulThreads.WouldSplit(m, k, n))
            return false;
        fixed (float* pg = g, pw = weight, ph = reluOutput, pdb = biasGrad, pgx = gx)
            return MatMulVector512.TryLinearBackward(new StridedMatrix(pg, k, 1), new StridedMatrix(pw, n, 1),
                reluOutput.IsEmpty ? null : ph, biasGrad.IsEmpty ? null : pdb, pgx, m, k, n);
    }

    /// <summary>C[m,n] (+)= A · Bᵀ with the named kernel: A has strides (k, 1), B stored [n,k] is viewed with strides (1, k).</summary>
    public static void MultiplyTransposedB(MatMulKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        Validate(a, b, c, m, k, n);
        fixed (float* pa = a, pb = b, pc = c)
            Gemm(kernel, new StridedMatrix(pa, k, 1), new StridedMatrix(pb, 1, k), pc, m, k, n, accumulate);
    }

    /// <summary>
    /// C[m,n] (+)= A·B for A [m,k] and B [k,n] viewed with their strides; C row-major. It settles the empty shapes itself
    /// (nothing to write, or C = 0 when k = 0), so every kernel sees m, k, n ≥ 1; a large product is split by rows across
    /// <see cref="Torch.GetNumThreads"/> threads (<see cref="MatMulThreads"/>; the same bits as one thread).
    /// </summary>
    private static void Gemm(MatMulKernel kernel, StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            if (!accumulate)
                new Span<float>(c, m * n).Clear();
            return;
        }
        MatMulThreads.Run(&OneThread, kernel, a, b, c, m, k, n, accumulate);
    }

    /// <summary>The one dispatch to a kernel, on this thread.</summary>
    private static void OneThread(MatMulKernel kernel, StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        switch (kernel)
        {
            case MatMulKernel.Naive: MatMulNaive.Gemm(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.VectorT: MatMulVectorT.Gemm(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.Vector256: MatMulVector256.Gemm(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.Vector512: MatMulVector512.Gemm(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.TensorPrimitives: MatMulTensorPrimitives.Gemm(a, b, c, m, k, n, accumulate); break;
            case MatMulKernel.Vector128: MatMulVector128.Gemm(a, b, c, m, k, n, accumulate); break;
            default: throw UnknownKernel(kernel);
        }
    }

    /// <summary>
    /// Checks that <paramref name="bias"/> covers the <paramref name="outputs"/>, then whether the fused one-thread pass
    /// may stand in for the product C[rows, columns] the caller would otherwise run: not when that product would now be
    /// split (<see cref="MatMulThreads.WouldSplit"/>, which counts C's rows).
    /// </summary>
    private static bool FusesLinear(ReadOnlySpan<float> bias, int outputs, int rows, int k, int columns)
    {
        if (bias.Length < outputs)
            throw new ArgumentException($"linear: the bias has {bias.Length} values; {outputs} outputs need {outputs}.", nameof(bias));
        return !MatMulThreads.WouldSplit(rows, k, columns);
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
