using Dqn.Tabular;

namespace Dqn.Tests.Tabular;

public class DiscretizerTests
{
    [TestCase(-5f, 0)]
    [TestCase(0f, 0)]
    [TestCase(0.24f, 0)]
    [TestCase(0.25f, 1)]
    [TestCase(0.5f, 2)]
    [TestCase(0.999f, 3)]
    [TestCase(1f, 3)]
    [TestCase(7f, 3)]
    public void BinsAreEqualWidthAndOutOfRangeValuesAreClipped(float value, int expected)
    {
        var d = new Discretizer([4], [0.0], [1.0]);
        Assert.That(d.Bin(0, value), Is.EqualTo(expected));
        Assert.That(d.Index([value]), Is.EqualTo(expected));
    }

    [Test]
    public void ComponentsCombineInMixedRadixLastFastest()
    {
        // bins (2, 3) over [0, 2) × [0, 3): index = b₀·3 + b₁.
        var d = new Discretizer([2, 3], [0.0, 0.0], [2.0, 3.0]);
        Assert.That(d.StateCount, Is.EqualTo(6));
        Assert.That(d.Index([0.5f, 0.5f]), Is.EqualTo(0));
        Assert.That(d.Index([0.5f, 2.5f]), Is.EqualTo(2));
        Assert.That(d.Index([1.5f, 0.5f]), Is.EqualTo(3));
        Assert.That(d.Index([1.5f, 1.5f]), Is.EqualTo(4));
        Assert.That(d.Index([9f, 9f]), Is.EqualTo(5));
    }

    [Test]
    public void OneBinIgnoresTheComponent()
    {
        var d = new Discretizer([1, 3], [-1.0, 0.0], [1.0, 3.0]);
        Assert.That(d.Index([-100f, 1.5f]), Is.EqualTo(d.Index([100f, 1.5f])));
        Assert.That(d.Index([0f, 1.5f]), Is.EqualTo(1));
    }

    [Test]
    public void BadInputIsNamed()
    {
        var d = new Discretizer([2], [0.0], [1.0]);
        Assert.That(() => d.Index([0f, 1f]), Throws.ArgumentException.With.Message.Contains("2 components").And.Message.Contains("expects 1"));
        Assert.That(() => d.Index([float.NaN]), Throws.ArgumentException.With.Message.Contains("NaN"));
        Assert.That(() => new Discretizer([2], [1.0], [0.0]), Throws.ArgumentException.With.Message.Contains("low[0] must be < high[0]"));
        Assert.That(() => new Discretizer([0], [0.0], [1.0]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("bins[0]"));
    }
}
