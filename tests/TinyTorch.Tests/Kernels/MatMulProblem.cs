using MathNet.Numerics.LinearAlgebra;
using TinyTorch.Kernels;

namespace TinyTorch.Tests.Kernels;

/// <summary>
/// One random product C (+)= op(A)·op(B) with its independent reference (MathNet, managed provider) and a rounding
/// tolerance per element. C's span is longer than m·n and the tail holds a sentinel, so writes past C show up.
/// </summary>
public sealed class MatMulProblem
{
    public const float Sentinel = -12345.5f;
    public const int Slack = 7;

    public MatMulProblem(MatMulForm form, int m, int k, int n, ulong seed)
    {
        (Form, M, K, N) = (form, m, k, n);
        var rng = new Rng(seed);
        A = Uniform(rng, m * k);
        B = Uniform(rng, k * n);
        InitialC = Uniform(rng, m * n);
        Product = Reference(form, m, k, n, A, B);
        Bound = AbsoluteProductSums(form, m, k, n, A, B);
    }

    public MatMulForm Form { get; }
    public int M { get; }
    public int K { get; }
    public int N { get; }
    public float[] A { get; }
    public float[] B { get; }
    public float[] InitialC { get; }

    /// <summary>op(A)·op(B) from MathNet, row-major [m,n].</summary>
    public float[] Product { get; }

    /// <summary>Σ_p |op(A)(i,p)|·|op(B)(p,j)|, the scale of rounding error in element (i,j).</summary>
    public double[] Bound { get; }

    /// <summary>Runs one kernel on a fresh copy of C (initial values when accumulating) and returns the whole span.</summary>
    public float[] Run(MatMulKernel kernel, bool accumulate)
    {
        var c = new float[M * N + Slack];
        Array.Fill(c, Sentinel);
        if (accumulate)
            InitialC.CopyTo(c, 0);
        switch (Form)
        {
            case MatMulForm.AB: MatMul.Multiply(kernel, A, B, c, M, K, N, accumulate); break;
            case MatMulForm.AtB: MatMul.MultiplyTransposedA(kernel, A, B, c, M, K, N, accumulate); break;
            default: MatMul.MultiplyTransposedB(kernel, A, B, c, M, K, N, accumulate); break;
        }
        return c;
    }

    /// <summary>
    /// The first element of C outside tolerance, or null. Float rounding of a length-k dot product is at most about
    /// k·u·Σ|a||b| (u = 6e-8) for each of the two computations; 1e-6·k·Σ|a||b| leaves a margin of 8 over that,
    /// while any indexing mistake moves an element by about Σ|a||b|/k or more.
    /// </summary>
    public string? FirstMismatch(float[] c, bool accumulate)
    {
        for (int idx = 0; idx < M * N; idx++)
        {
            double expected = Product[idx] + (accumulate ? InitialC[idx] : 0.0);
            double tolerance = 1e-6 * Math.Max(K, 1) * Bound[idx] + 1e-6 * Math.Abs(expected) + 1e-30;
            if (!(Math.Abs(c[idx] - expected) <= tolerance))
                return $"C[{idx / N},{idx % N}] = {c[idx]} but expected {expected} ± {tolerance:G3}";
        }
        for (int idx = M * N; idx < c.Length; idx++)
            if (c[idx] != Sentinel)
                return $"C[{idx}] past the m·n = {M * N} elements was overwritten with {c[idx]}";
        return null;
    }

    private static float[] Uniform(Rng rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)rng.Uniform(-1.0, 1.0);
        return values;
    }

    private static float[] Reference(MatMulForm form, int m, int k, int n, float[] a, float[] b)
    {
        if (m == 0 || n == 0)
            return [];
        if (k == 0)
            return new float[m * n];
        var build = Matrix<float>.Build;
        Matrix<float> product = form switch
        {
            MatMulForm.AB => build.DenseOfRowMajor(m, k, a) * build.DenseOfRowMajor(k, n, b),
            MatMulForm.AtB => build.DenseOfRowMajor(k, m, a).TransposeThisAndMultiply(build.DenseOfRowMajor(k, n, b)),
            _ => build.DenseOfRowMajor(m, k, a).TransposeAndMultiply(build.DenseOfRowMajor(n, k, b)),
        };
        return product.ToRowMajorArray();
    }

    private static double[] AbsoluteProductSums(MatMulForm form, int m, int k, int n, float[] a, float[] b)
    {
        var sums = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    float aip = form == MatMulForm.AtB ? a[p * m + i] : a[i * k + p];
                    float bpj = form == MatMulForm.ABt ? b[j * k + p] : b[p * n + j];
                    s += Math.Abs((double)aip * bpj);
                }
                sums[i * n + j] = s;
            }
        return sums;
    }
}
