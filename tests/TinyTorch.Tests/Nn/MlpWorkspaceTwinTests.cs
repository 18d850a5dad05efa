using TinyTorch.Kernels.Simd;
using TinyTorch.Nn;
using TinyTorch.Tests.Kernels;

namespace TinyTorch.Tests.Nn;

/// <summary>
/// The workspace's element-wise passes at each forced width against plain loops written here. Both passes only add,
/// compare and select, in the same order per element, so the twin agrees to the bit on every CPU.
/// </summary>
public class MlpWorkspaceTwinTests
{
    private static IEnumerable<TestCaseData> Widths() =>
        TwinSizes.Widths.Select(w => new TestCaseData((int)w).SetArgDisplayNames(w.ToString()));

    [TestCaseSource(nameof(Widths))]
    public void BiasAndReluMatchThePlainLoop(int widthBits)
    {
        foreach (int width in TwinSizes.Sizes)
        {
            int rows = width == TwinSizes.Large ? 1 : 3;
            var rng = new Rng((ulong)width);
            float[] y = Draw(rng, rows * width), b = Draw(rng, width);
            foreach (bool relu in new[] { false, true })
            {
                float[] actual = (float[])y.Clone(), expected = (float[])y.Clone();
                MlpWorkspace.AddRowsAndRelu(actual, b, width, relu, (VectorWidth)widthBits);
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < width; j++)
                    {
                        float v = expected[r * width + j] + b[j];
                        expected[r * width + j] = relu && !(v > 0f) && !float.IsNaN(v) ? 0f : v;
                    }
                AssertBitwise(actual, expected, $"{(VectorWidth)widthBits}, width {width}, relu {relu}");
            }
        }
    }

    [TestCaseSource(nameof(Widths))]
    public void ReluMaskAndBiasGradientMatchThePlainLoop(int widthBits)
    {
        foreach (int width in TwinSizes.Sizes)
        {
            int rows = width == TwinSizes.Large ? 2 : 3;
            var rng = new Rng((ulong)width + 100);
            float[] g = Draw(rng, rows * width), y = Draw(rng, rows * width), db0 = Draw(rng, width);
            // activations exactly 0, −0 and NaN must mask like any y ≤ 0
            y[0] = 0f;
            if (y.Length > 1) y[1] = -0f;
            if (y.Length > 2) y[2] = float.NaN;
            foreach ((bool mask, bool sum) in new[] { (true, true), (true, false), (false, true) })
            {
                float[] actualG = (float[])g.Clone(), expectedG = (float[])g.Clone();
                float[] actualDb = sum ? (float[])db0.Clone() : [], expectedDb = sum ? (float[])db0.Clone() : [];
                MlpWorkspace.MaskAndSumRows(actualG, mask ? y : default, actualDb, width, (VectorWidth)widthBits);
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < width; j++)
                    {
                        int at = r * width + j;
                        if (mask && !(y[at] > 0f))
                            expectedG[at] = 0f;
                        if (sum)
                            expectedDb[j] += expectedG[at];
                    }
                string what = $"{(VectorWidth)widthBits}, width {width}, mask {mask}, sum {sum}";
                AssertBitwise(actualG, expectedG, what + ", g");
                AssertBitwise(actualDb, expectedDb, what + ", db");
            }
        }
    }

    private static float[] Draw(Rng rng, int n)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = (float)rng.Uniform(-1, 1);
        return values;
    }

    private static void AssertBitwise(float[] actual, float[] expected, string what)
    {
        for (int i = 0; i < actual.Length; i++)
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]}.");
    }
}
