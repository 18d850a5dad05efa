using TinyTorch;

namespace TinyTorch.Tests.Random;

public class RngTests
{
    [Test]
    public void SameSeedGivesSameStream()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        for (int i = 0; i < 1000; i++)
            Assert.That(a.NextUInt64(), Is.EqualTo(b.NextUInt64()));
    }

    [Test]
    public void StateRoundTripsForResume()
    {
        var a = new Rng(7);
        a.NextDouble();
        var b = new Rng(0);
        b.SetState(a.GetState());
        Assert.That(b.NextDouble(), Is.EqualTo(a.NextDouble()));
    }

    [Test]
    public void UniformDoublesHaveTheRightMeanAndRange()
    {
        var rng = new Rng(1);
        double sum = 0;
        const int n = 200_000;
        for (int i = 0; i < n; i++)
        {
            double u = rng.Uniform(-0.05, 0.05);
            Assert.That(u, Is.GreaterThanOrEqualTo(-0.05).And.LessThan(0.05));
            sum += u;
        }
        Assert.That(sum / n, Is.EqualTo(0).Within(0.0005));
    }

    [Test]
    public void NextIntIsUnbiasedOverSmallRanges()
    {
        var rng = new Rng(3);
        var counts = new int[3];
        const int n = 300_000;
        for (int i = 0; i < n; i++)
            counts[rng.NextInt(3)]++;
        foreach (int c in counts)
            Assert.That(c, Is.EqualTo(n / 3).Within(1500));
    }

    [Test]
    public void NormalDrawsHaveUnitVariance()
    {
        var rng = new Rng(5);
        double sum = 0, sumSq = 0;
        const int n = 200_000;
        for (int i = 0; i < n; i++)
        {
            double x = rng.NextNormal();
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / n;
        Assert.Multiple(() =>
        {
            Assert.That(mean, Is.EqualTo(0).Within(0.01));
            Assert.That(sumSq / n - mean * mean, Is.EqualTo(1).Within(0.02));
        });
    }
}
