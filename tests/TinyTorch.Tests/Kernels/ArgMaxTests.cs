using TinyTorch.Nn;

namespace TinyTorch.Tests.Kernels;

/// <summary>
/// The greedy action (<see cref="MlpWorkspace.ArgMax(ReadOnlySpan{float})"/>, row-wise too) and <see cref="Tensor.Max"/>
/// (along a contiguous and a strided dimension) pick the same index under PyTorch's rule: first index on ties, +0 and −0
/// tie, the first NaN beats every number.
/// </summary>
public class ArgMaxTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, int expected, params float[] values) =>
            new TestCaseData(values, expected).SetArgDisplayNames(name);
        yield return Case("tie keeps the first", 1, 1f, 3f, 3f);
        yield return Case("-0 then +0 tie", 0, -0f, 0f);
        yield return Case("+0 then -0 tie", 0, 0f, -0f);
        yield return Case("zeros of both signs above negatives", 1, -1f, -0f, 0f, -2f);
        yield return Case("first NaN wins", 1, 1f, float.NaN, float.NaN, 5f);
        yield return Case("NaN last beats infinity", 2, 1f, float.PositiveInfinity, float.NaN);
        yield return Case("lone NaN", 0, float.NaN);
        yield return Case("infinities tie", 0, float.NegativeInfinity, float.NegativeInfinity);
        yield return Case("largest later", 3, -5f, -4f, -3f, 2f, 1f);
    }

    [TestCaseSource(nameof(Cases))]
    public void EveryArgMaxAgrees(float[] values, int expected)
    {
        int n = values.Length;
        var rowWise = new int[2];
        MlpWorkspace.ArgMax([.. values, .. values], n, rowWise);
        // [3, n] with the case in row 1, and its transpose [n, 3] with the case in column 1 (elements 3 apart)
        var rows = new float[3 * n];
        var columns = new float[n * 3];
        for (int j = 0; j < n; j++)
        {
            rows[j] = rows[2 * n + j] = 100f;
            rows[n + j] = values[j];
            columns[3 * j] = columns[3 * j + 2] = 100f;
            columns[3 * j + 1] = values[j];
        }
        Assert.Multiple(() =>
        {
            Assert.That(MlpWorkspace.ArgMax(values), Is.EqualTo(expected), "MlpWorkspace.ArgMax");
            Assert.That(rowWise, Is.EqualTo(new[] { expected, expected }), "MlpWorkspace.ArgMax row-wise");
            Assert.That(new Tensor(rows, 3, n).Max(1).Indices[1], Is.EqualTo(expected), "Tensor.Max along the last dimension");
            Assert.That(new Tensor(columns, n, 3).Max(0).Indices[1], Is.EqualTo(expected), "Tensor.Max along a strided dimension");
        });
    }
}
