using TinyTorch.Kernels;

namespace TinyTorch.Tests.Kernels;

/// <summary>
/// The fused layer forward (bias and ReLU applied in the tiles) and the fused input gradient (the layer below's ReLU
/// mask and bias gradient applied in the tiles) against the product followed by a plain loop written here: the same
/// additions and comparisons in the same order, so equal to the bit. Shapes reach full 8-row tiles and every leftover
/// row count, masked column tails, and depths past one KC block (the epilogue only on the last block).
/// The MathNet check keeps the product itself honest.
/// </summary>
public class MatMulLinearTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        (int M, int K, int N)[] shapes = [(64, 128, 128), (128, 4, 120), (13, 33, 84), (23, 300, 37), (5, 7, 5), (9, 1, 17)];
        foreach (var (m, k, n) in shapes)
            foreach (bool relu in new[] { false, true })
                yield return new TestCaseData(m, k, n, relu).SetArgDisplayNames($"{m}x{k}x{n}", relu ? "relu" : "linear");
    }

    [TestCaseSource(nameof(Cases))]
    public void FusedBiasAndReluEqualTheProductThenAPlainPass(int m, int k, int n, bool relu)
    {
        var problem = new MatMulProblem(MatMulForm.ABt, m, k, n, seed: (ulong)(m * 1000 + k + n));
        var rng = new Rng(7);
        float[] bias = new float[n];
        for (int j = 0; j < n; j++)
            bias[j] = (float)rng.Uniform(-1, 1);
        bias[0] = -0f;

        float[] expected = problem.Run(MatMulKernel.Vector512, accumulate: false);
        Assert.That(problem.FirstMismatch(expected, accumulate: false), Is.Null);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float v = expected[i * n + j] + bias[j];
                expected[i * n + j] = relu && !(v > 0f) && !float.IsNaN(v) ? 0f : v;
            }

        float[] actual = new float[expected.Length];
        Array.Copy(expected, m * n, actual, m * n, expected.Length - m * n);
        bool fused = MatMul.TryLinear(problem.A, problem.B, bias, actual, m, k, n, relu);
        if (!fused)
            Assert.That(actual.AsSpan(0, m * n).ToArray(), Is.All.EqualTo(0f), "a declined call leaves y untouched");
        else
            for (int i = 0; i < actual.Length; i++)
                if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                    Assert.Fail($"y[{i / n},{i % n}] is {actual[i]} fused but {expected[i]} with a separate pass.");
        bool shouldFuse = System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && m > 4 && n > 4;
        Assert.That(fused, Is.EqualTo(shouldFuse), "the fused path runs exactly when AVX-512 and the 8-row tiles apply");
    }

    private static IEnumerable<TestCaseData> BackwardCases()
    {
        (int M, int K, int N)[] shapes = [(64, 128, 128), (128, 84, 120), (64, 2, 128), (13, 33, 84), (23, 300, 37), (5, 7, 5), (9, 1, 17), (71, 20, 70)];
        foreach (var (m, k, n) in shapes)
            foreach (var (mask, sums) in new[] { (true, true), (true, false), (false, true) })
                yield return new TestCaseData(m, k, n, mask, sums).SetArgDisplayNames($"{m}x{k}x{n}", mask ? "mask" : "no mask", sums ? "sums" : "no sums");
    }

    [TestCaseSource(nameof(BackwardCases))]
    public void FusedReluMaskAndBiasGradientEqualTheProductThenAPlainPass(int m, int k, int n, bool mask, bool sums)
    {
        var problem = new MatMulProblem(MatMulForm.AB, m, k, n, seed: (ulong)(m * 1000 + k + n) ^ 0xB4C);
        var rng = new Rng(11);
        // h: the ReLU's output, about half zeros, with a NaN and a −0 (both mask to 0, as [h > 0] does)
        float[] h = new float[m * n];
        for (int i = 0; i < h.Length; i++)
            h[i] = Math.Max((float)rng.Uniform(-1, 1), 0f);
        h[0] = float.NaN;
        h[^1] = -0f;
        float[] initialSums = new float[n];
        for (int j = 0; j < n; j++)
            initialSums[j] = (float)rng.Uniform(-1, 1);

        float[] expected = problem.Run(MatMulKernel.Vector512, accumulate: false);
        Assert.That(problem.FirstMismatch(expected, accumulate: false), Is.Null);
        float[] expectedSums = (float[])initialSums.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                if (mask && !(h[i * n + j] > 0f))
                    expected[i * n + j] = 0f;
                expectedSums[j] += expected[i * n + j];
            }

        float[] actual = new float[expected.Length];
        Array.Copy(expected, m * n, actual, m * n, expected.Length - m * n);
        float[] actualSums = (float[])initialSums.Clone();
        bool fused = MatMul.TryLinearBackward(problem.A, problem.B, mask ? h : default, sums ? actualSums : default, actual, m, k, n);
        bool shouldFuse = System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && m > 4 && n > 4;
        Assert.That(fused, Is.EqualTo(shouldFuse), "the fused path runs exactly when AVX-512 and the 8-row tiles apply");
        if (!fused)
        {
            Assert.That(actual.AsSpan(0, m * n).ToArray(), Is.All.EqualTo(0f), "a declined call leaves gx untouched");
            Assert.That(actualSums, Is.EqualTo(initialSums), "a declined call leaves the sums untouched");
            return;
        }
        for (int i = 0; i < actual.Length; i++)
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                Assert.Fail($"gx[{i / n},{i % n}] is {actual[i]} fused but {expected[i]} with a separate pass.");
        if (!sums)
            expectedSums = initialSums;
        for (int j = 0; j < n; j++)
            if (BitConverter.SingleToInt32Bits(actualSums[j]) != BitConverter.SingleToInt32Bits(expectedSums[j]))
                Assert.Fail($"db[{j}] is {actualSums[j]} fused but {expectedSums[j]} with a separate pass.");
    }

    /// <summary>
    /// The feature-major forward yᵀ = W·xᵀ + b (bias along the rows) against the product followed by a plain loop, to
    /// the bit; the problem's A plays W [n, k] and its B plays xᵀ [k, m].
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void FusedRowBiasAndReluEqualTheProductThenAPlainPass(int n, int k, int m, bool relu)
    {
        var problem = new MatMulProblem(MatMulForm.AB, n, k, m, seed: (ulong)(n * 1000 + k + m) ^ 0xFEA7);
        var rng = new Rng(13);
        float[] bias = new float[n];
        for (int j = 0; j < n; j++)
            bias[j] = (float)rng.Uniform(-1, 1);
        bias[^1] = -0f;

        float[] expected = problem.Run(MatMulKernel.Vector512, accumulate: false);
        Assert.That(problem.FirstMismatch(expected, accumulate: false), Is.Null);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                float v = expected[j * m + i] + bias[j];
                expected[j * m + i] = relu && !(v > 0f) && !float.IsNaN(v) ? 0f : v;
            }

        float[] actual = new float[expected.Length];
        Array.Copy(expected, m * n, actual, m * n, expected.Length - m * n);
        bool fused = MatMul.TryLinearFeatureMajor(problem.A, problem.B, bias, actual, n, k, m, relu);
        bool shouldFuse = System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && m > 4 && n > 4;
        Assert.That(fused, Is.EqualTo(shouldFuse), "the fused path runs exactly when AVX-512 and the 8-row tiles apply");
        if (!fused)
        {
            Assert.That(actual.AsSpan(0, m * n).ToArray(), Is.All.EqualTo(0f), "a declined call leaves yᵀ untouched");
            return;
        }
        for (int i = 0; i < actual.Length; i++)
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                Assert.Fail($"yᵀ[{i / m},{i % m}] is {actual[i]} fused but {expected[i]} with a separate pass.");
    }
}
