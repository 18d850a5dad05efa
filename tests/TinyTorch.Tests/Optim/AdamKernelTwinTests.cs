using TinyTorch.Kernels.Simd;
using TinyTorch.Optim;
using TinyTorch.Tests.Kernels;

namespace TinyTorch.Tests.Optim;

/// <summary>
/// <see cref="AdamKernel"/> at each forced width against the plain loop below, over 60 steps. The kernel promises
/// PyTorch's operations in PyTorch's order, each rounded separately (no FMA, IEEE division and square root), so on every
/// CPU the twin agrees to the bit; any slip in one lane, one body or the tail shows.
/// </summary>
public class AdamKernelTwinTests
{
    private const int Steps = 60;
    private const float SmallestNormal = 1.17549435e-38f;

    private static IEnumerable<TestCaseData> Cases() =>
        from width in TwinSizes.Widths
        from amsgrad in new[] { false, true }
        select new TestCaseData((int)width, amsgrad).SetArgDisplayNames(width.ToString(), amsgrad ? "amsgrad" : "adam");

    [TestCaseSource(nameof(Cases))]
    public void EachWidthMatchesThePlainLoopBitForBit(int widthBits, bool amsgrad)
    {
        var width = (VectorWidth)widthBits;
        foreach (int n in TwinSizes.Sizes)
        {
            var rng = new Rng((ulong)n);
            float[] theta = Draw(rng, n, 1f), twinTheta = (float[])theta.Clone();
            float[] m = new float[n], v = new float[n], vMax = new float[amsgrad ? n : 0];
            float[] twinM = new float[n], twinV = new float[n], twinVMax = new float[amsgrad ? n : 0];
            const double lr = 1e-2, beta1 = 0.9, beta2 = 0.999;
            for (int step = 1; step <= Steps; step++)
            {
                // shrinking gradients, so that v̂ = max(v̂, v) keeps an old maximum in some lanes
                float[] grad = Draw(rng, n, 1f / step);
                float stepSize = (float)(lr / (1 - Math.Pow(beta1, step)));
                float sqrtBc2 = (float)Math.Sqrt(1 - Math.Pow(beta2, step));
                AdamKernel.Step(theta, grad, m, v, vMax, (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
                    sqrtBc2, 1e-8f, stepSize, width);
                PlainStep(twinTheta, grad, twinM, twinV, twinVMax, (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
                    sqrtBc2, 1e-8f, stepSize);
                int bad = FirstDifference(theta, twinTheta);
                if (bad < 0) bad = FirstDifference(m, twinM);
                if (bad < 0) bad = FirstDifference(v, twinV);
                if (bad < 0) bad = FirstDifference(vMax, twinVMax);
                if (bad >= 0)
                    Assert.Fail($"{width}, n={n}, step {step}: element {bad} differs (θ {theta[bad]} vs {twinTheta[bad]}).");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void MomentsBelowTheSmallestNormalAreFlushedAtEveryWidth(int widthBits, bool amsgrad)
    {
        var width = (VectorWidth)widthBits;
        const int n = 37;
        float[] theta = new float[n], grad = new float[n], m = new float[n], v = new float[n], vMax = new float[amsgrad ? n : 0];
        // m just above the limit decays below it; v is subnormal already; a NaN moment stays NaN
        Array.Fill(m, 1.2e-38f);
        Array.Fill(v, 1e-40f);
        m[n - 1] = float.NaN;
        AdamKernel.Step(theta, grad, m, v, vMax, 0.9f, 0.1f, 0.999f, 0.001f, 1f, 1e-8f, 1f, width);
        Assert.Multiple(() =>
        {
            Assert.That(m.Take(n - 1), Is.All.EqualTo(0f), "m");
            Assert.That(float.IsNaN(m[n - 1]), "a NaN in m survives the flush");
            Assert.That(v, Is.All.EqualTo(0f), "v");
        });
    }

    /// <summary>The update as PyTorch's <c>_single_tensor_adam</c> writes it, one element at a time.</summary>
    private static void PlainStep(float[] theta, float[] grad, float[] m, float[] v, float[] vMax, float beta1, float oneMinusBeta1,
        float beta2, float oneMinusBeta2, float sqrtBc2, float eps, float stepSize)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            float mi = beta1 * m[i] + oneMinusBeta1 * grad[i];
            float vi = beta2 * v[i] + oneMinusBeta2 * (grad[i] * grad[i]);
            m[i] = Math.Abs(mi) < SmallestNormal ? 0f : mi;
            v[i] = vi < SmallestNormal ? 0f : vi;
            float second = v[i];
            if (vMax.Length > 0)
                second = vMax[i] = Math.Max(vMax[i], v[i]);
            theta[i] -= stepSize * (m[i] / ((float)Math.Sqrt(second) / sqrtBc2 + eps));
        }
    }

    private static float[] Draw(Rng rng, int n, float scale)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = (float)rng.Uniform(-scale, scale);
        return values;
    }

    private static int FirstDifference(float[] actual, float[] expected)
    {
        for (int i = 0; i < actual.Length; i++)
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                return i;
        return -1;
    }
}
