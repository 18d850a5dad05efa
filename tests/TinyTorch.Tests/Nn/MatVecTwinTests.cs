using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TinyTorch.Nn;
using TinyTorch.Tests.Kernels;

namespace TinyTorch.Tests.Nn;

/// <summary>
/// Every <see cref="MatVec"/> path against y = W·x (+ b, ReLU) summed in double in the test, for inputs of 1 to 70
/// features and one over 17,000, and 21 outputs (two 8-row blocks of the 512-bit path, then five single rows).
/// The paths sum in different orders, so the bound is rounding-sized: 1e-6·n·Σ|w||x|, far below any indexing slip.
/// </summary>
public class MatVecTwinTests
{
    private const int Outputs = 21;

    [Test]
    public void EveryPathMatchesTheDoubleTwin()
    {
        foreach (int n in TwinSizes.Sizes)
        {
            var rng = new Rng((ulong)n + 7);
            float[] w = Draw(rng, Outputs * n), x = Draw(rng, n), b = Draw(rng, Outputs);
            var expected = new double[Outputs];
            var scale = new double[Outputs];
            for (int j = 0; j < Outputs; j++)
                for (int i = 0; i < n; i++)
                {
                    expected[j] += (double)w[j * n + i] * x[i];
                    scale[j] += Math.Abs((double)w[j * n + i] * x[i]);
                }

            var y = new float[Outputs];
            MatVec.DotRowsScalar(w, x, y);
            AssertClose(y, expected, scale, n, $"scalar, n={n}");
            Array.Fill(y, float.NaN);
            MatVec.DotRowsPortable(w, x, y);
            AssertClose(y, expected, scale, n, $"portable, n={n}");
            // the 512-bit path reduces with AVX; without AVX-512 the runtime emulates its 512-bit arithmetic exactly
            if (Avx.IsSupported && n >= Vector512<float>.Count)
            {
                Array.Fill(y, float.NaN);
                MatVec.DotRows512(w, x, y);
                AssertClose(y, expected, scale, n, $"512-bit, n={n}");
            }

            // the whole layer: + b, then ReLU, on whichever path this CPU takes
            MatVec.Linear(w, b, x, y, relu: true);
            var layer = new double[Outputs];
            for (int j = 0; j < Outputs; j++)
                layer[j] = Math.Max(expected[j] + b[j], 0);
            AssertClose(y, layer, scale, n, $"Linear, n={n}");
        }
    }

    private static void AssertClose(float[] actual, double[] expected, double[] scale, int n, string what)
    {
        for (int j = 0; j < actual.Length; j++)
        {
            double tolerance = 1e-6 * n * scale[j] + 1e-6;
            if (!(Math.Abs(actual[j] - expected[j]) <= tolerance))
                Assert.Fail($"{what}: y[{j}] = {actual[j]}, expected {expected[j]} ± {tolerance:G3}.");
        }
    }

    private static float[] Draw(Rng rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)rng.Uniform(-1, 1);
        return values;
    }
}
