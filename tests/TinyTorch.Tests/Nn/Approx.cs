namespace TinyTorch.Tests.Nn;

/// <summary>Element-wise |actual − expected| ≤ atol + rtol·|expected|, reporting the first element that is off.</summary>
internal static class Approx
{
    public static void AssertClose(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, double atol, double rtol, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        for (int i = 0; i < actual.Length; i++)
        {
            double tolerance = atol + rtol * Math.Abs(expected[i]);
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
                Assert.Fail($"{what}[{i}] = {actual[i]:R}, expected {expected[i]:R} within {tolerance:G3}.");
        }
    }

    public static void AssertClose(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double atol, double rtol, string what) =>
        AssertClose(actual, FiniteDifference.ToDouble(expected), atol, rtol, what);
}
