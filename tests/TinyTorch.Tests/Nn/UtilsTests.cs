using TinyTorch;
using TinyTorch.Nn;

namespace TinyTorch.Tests.Nn;

public class UtilsTests
{
    /// <summary>Gradients [3, 4] and [12] (and a parameter without one): 2-norm √(9 + 16 + 144) = 13, 1-norm 19, ∞-norm 12.</summary>
    private static Tensor[] Parameters()
    {
        Tensor a = Torch.Zeros(2).RequiresGrad_(), b = Torch.Zeros(1).RequiresGrad_(), c = Torch.Zeros(3).RequiresGrad_();
        a.Grad = Torch.FromArray([3f, -4f]);
        b.Grad = Torch.FromArray([12f]);
        return [a, b, c];
    }

    [TestCase(2.0, 13.0)]
    [TestCase(1.0, 19.0)]
    [TestCase(double.PositiveInfinity, 12.0)]
    public void ReturnsTheTotalNormOfAllGradients(double normType, double expected)
    {
        Assert.That(Utils.ClipGradNorm(Parameters(), 100, normType), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void AnyPNormMatchesTheDefinition()
    {
        // (3³ + 4³ + 12³)^(1/3)
        double expected = Math.Cbrt(27 + 64 + 1728);
        Assert.That(Utils.ClipGradNorm(Parameters(), 100, 3), Is.EqualTo(expected).Within(1e-5));
    }

    [TestCase(2.0, 13.0)]
    [TestCase(double.PositiveInfinity, 12.0)]
    public void ScalesEveryGradientByMaxNormOverTotal(double normType, double total)
    {
        Tensor[] p = Parameters();
        double returned = Utils.ClipGradNorm(p, 6.5, normType);

        // clip_coef = max_norm / (total + 1e-6)
        double coef = 6.5 / (total + 1e-6);
        Assert.That(returned, Is.EqualTo(total).Within(1e-5));
        Assert.That(p[0].Grad!.Data, Is.EqualTo(new[] { 3 * coef, -4 * coef }).Within(1e-6));
        Assert.That(p[1].Grad!.Data[0], Is.EqualTo(12 * coef).Within(1e-5));
        Assert.That(p[2].Grad, Is.Null);
        Assert.That(Utils.ClipGradNorm(p, 1000, normType), Is.EqualTo(6.5).Within(1e-5), "the clipped norm is max_norm");
    }

    [Test]
    public void BelowTheThresholdNothingChanges()
    {
        Tensor[] p = Parameters();
        Assert.That(Utils.ClipGradNorm(p, 13.01), Is.EqualTo(13).Within(1e-5));
        Assert.That(p[0].Grad!.Data, Is.EqualTo(new[] { 3f, -4f }));
        Assert.That(p[1].Grad!.Data, Is.EqualTo(new[] { 12f }));
    }

    [Test]
    public void NonFiniteNormsSpreadOrThrowOnRequest()
    {
        Tensor[] p = Parameters();
        p[1].Grad!.Data[0] = float.NaN;
        Assert.That(() => Utils.ClipGradNorm(p, 1, errorIfNonfinite: true), Throws.InvalidOperationException.With.Message.Contains("NaN"));
        Assert.That(Utils.ClipGradNorm(p, 1), Is.NaN);
        Assert.That(p[0].Grad!.Data, Is.All.NaN, "as in PyTorch, a NaN norm makes the clipped gradients NaN");
    }

    [Test]
    public void ClipGradValueClampsEachElement()
    {
        Tensor[] p = Parameters();
        Utils.ClipGradValue(p, 3.5);
        Assert.That(p[0].Grad!.Data, Is.EqualTo(new[] { 3f, -3.5f }));
        Assert.That(p[1].Grad!.Data, Is.EqualTo(new[] { 3.5f }));
    }

    [Test]
    public void BadArgumentsNameTheirValue()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Utils.ClipGradNorm(Parameters(), -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("-1"));
            Assert.That(() => Utils.ClipGradNorm(Parameters(), 1, normType: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("got 0"));
            Assert.That(() => Utils.ClipGradValue(Parameters(), double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("NaN"));
        });
    }
}
