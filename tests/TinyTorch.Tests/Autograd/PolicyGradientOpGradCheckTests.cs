namespace TinyTorch.Tests.Autograd;

/// <summary>
/// The ops PPO adds (clamp, maximum, minimum, std) against central finite differences and, for the forward, against
/// the definition evaluated in double precision.
/// </summary>
public class PolicyGradientOpGradCheckTests
{
    private static readonly int[][] Shapes = [[1], [3], [17], [33], [3, 17], [17, 3], [3, 17, 2]];

    [TestCaseSource(nameof(Shapes))]
    public void Clamp(int[] shape) =>
        // the grid k·0.05 + 0.025 keeps every value 0.025 from the bounds ±0.5, where clamp has its kinks
        TestInputs.Check(x => x[0].Clamp(-0.5f, 0.5f), Shifted(TestInputs.Distinct(new Rng(21), shape), 0.025f));

    [TestCaseSource(nameof(Shapes))]
    public void Maximum(int[] shape) => CheckExtremum(shape, (a, b) => a.Maximum(b));

    [TestCaseSource(nameof(Shapes))]
    public void Minimum(int[] shape) => CheckExtremum(shape, (a, b) => a.Minimum(b));

    [TestCase(2)]
    [TestCase(17)]
    [TestCase(3, 17)]
    [TestCase(3, 17, 2)]
    public void Std(params int[] shape) => TestInputs.Check(x => x[0].Std(), TestInputs.Randn(new Rng(22), shape));

    [Test]
    public void StdIsUnbiasedAgainstDouble()
    {
        Tensor x = Torch.Randn(new Rng(23), 37).Mul(3f).Add(2f);
        double mean = x.Data.Average(v => (double)v);
        double expected = Math.Sqrt(x.Data.Sum(v => (v - mean) * (v - mean)) / (x.Count - 1));
        Assert.That(x.Std().Item(), Is.EqualTo(expected).Within(1e-6 * expected));
    }

    [Test]
    public void StdOfOneElementIsNaNAsInPyTorch() => Assert.That(float.IsNaN(Torch.Ones(1).Std().Item()));

    [Test]
    public void ClampForwardAndMaskAtTheBounds()
    {
        Tensor x = Torch.FromArray([-2f, -1f, 0f, 1f, 2f]).RequiresGrad_();
        Tensor y = x.Clamp(-1f, 1f);
        Assert.That(y.Data, Is.EqualTo(new[] { -1f, -1f, 0f, 1f, 1f }));
        y.Sum().Backward();
        // PyTorch lets the gradient through at the bounds themselves: mask lo ≤ x ≤ hi
        Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 0f, 1f, 1f, 1f, 0f }));
    }

    [Test]
    public void ClampRejectsInvertedBounds() =>
        Assert.That(() => Torch.Ones(2).Clamp(1f, 0f), Throws.ArgumentException.With.Message.Contains("min (1) must be <= max (0)"));

    [Test]
    public void MaximumAndMinimumSplitTiesInHalfAsPyTorch()
    {
        Tensor a = Torch.FromArray([1f, 2f, 3f]).RequiresGrad_();
        Tensor b = Torch.FromArray([3f, 2f, 1f]).RequiresGrad_();
        Tensor max = a.Maximum(b), min = a.Minimum(b);
        Assert.That(max.Data, Is.EqualTo(new[] { 3f, 2f, 3f }));
        Assert.That(min.Data, Is.EqualTo(new[] { 1f, 2f, 1f }));
        (max + min * 10f).Sum().Backward();
        Assert.That(a.Grad!.Data, Is.EqualTo(new[] { 10f, 5.5f, 1f }));
        Assert.That(b.Grad!.Data, Is.EqualTo(new[] { 1f, 5.5f, 10f }));
    }

    [Test]
    public void MaximumPropagatesNaN() =>
        Assert.That(float.IsNaN(Torch.FromArray([float.NaN]).Maximum(Torch.FromArray([1f])).Item()));

    [Test]
    public void MaximumRejectsDifferentShapes() =>
        Assert.That(() => Torch.Ones(3).Maximum(Torch.Ones(2)), Throws.ArgumentException.With.Message.Contains("maximum: shapes [3] and [2]"));

    /// <summary>a and b drawn from one grid, so |a − b| ≥ 0.05 everywhere and no step flips the comparison.</summary>
    private static void CheckExtremum(int[] shape, Func<Tensor, Tensor, Tensor> op)
    {
        int n = shape.Aggregate(1, (p, d) => p * d);
        Tensor both = TestInputs.Distinct(new Rng(24), 2 * n);
        Tensor a = Torch.FromArray(both.Data[..n], shape).RequiresGrad_();
        Tensor b = Torch.FromArray(both.Data[n..], shape).RequiresGrad_();
        TestInputs.Check(x => op(x[0], x[1]), a, b);
    }

    private static Tensor Shifted(Tensor t, float offset) => t.Detach().Add(offset).RequiresGrad_();
}
