using Dqn.Replay;
using MathNet.Numerics.Distributions;
using TinyTorch;

namespace Dqn.Tests.Replay;

public class SumTreeTests
{
    [Test]
    public void TotalIsTheSumOfTheLeavesThroughUpdates()
    {
        var tree = new SumTree(5); // not a power of two: padded leaves must stay out of the sum
        double[] values = [1, 2, 3, 4, 5];
        for (int i = 0; i < values.Length; i++)
            tree.Set(i, values[i]);
        Assert.That(tree.Total, Is.EqualTo(15));
        tree.Set(2, 10);
        Assert.That(tree.Total, Is.EqualTo(22));
        tree.Set(4, 0);
        Assert.That(tree.Total, Is.EqualTo(17));
        Assert.That(tree[2], Is.EqualTo(10));
    }

    [Test]
    public void TotalMatchesANaiveSumAfterManyRandomUpdates()
    {
        const int n = 1000;
        var tree = new SumTree(n);
        var naive = new double[n];
        var rng = new Rng(9);
        for (int k = 0; k < 20_000; k++)
        {
            int i = rng.NextInt(n);
            double v = rng.NextDouble() * 100;
            tree.Set(i, v);
            naive[i] = v;
        }
        Assert.That(tree.Total, Is.EqualTo(naive.Sum()).Within(1e-9).Percent);
    }

    [TestCase(0.0, 0)]
    [TestCase(0.999, 0)]
    [TestCase(1.0, 1)]
    [TestCase(2.999, 1)]
    [TestCase(3.0, 2)]
    [TestCase(5.999, 2)]
    [TestCase(6.0, 3)]
    [TestCase(9.999, 3)]
    public void PrefixSumFindsTheLeafItFallsIn(double prefix, int expected)
    {
        // Leaves 1, 2, 3, 4: cumulative edges at 1, 3, 6, 10.
        var tree = new SumTree(4);
        for (int i = 0; i < 4; i++)
            tree.Set(i, i + 1);
        Assert.That(tree.FindPrefixSum(prefix), Is.EqualTo(expected));
    }

    [Test]
    public void ZeroLeavesAreNeverFound()
    {
        var tree = new SumTree(6);
        tree.Set(1, 2);
        tree.Set(4, 3);
        Assert.That(tree.FindPrefixSum(0), Is.EqualTo(1));
        Assert.That(tree.FindPrefixSum(1.999), Is.EqualTo(1));
        Assert.That(tree.FindPrefixSum(2), Is.EqualTo(4));
        Assert.That(tree.FindPrefixSum(5), Is.EqualTo(4), "a prefix at the total (round-off) lands on the last positive leaf");
        Assert.That(tree.FindPrefixSum(1e9), Is.EqualTo(4));
    }

    [Test]
    public void DrawsAreProportionalToTheLeaves()
    {
        double[] values = [1, 0, 3, 6, 0.5, 9.5]; // total 20
        var tree = new SumTree(values.Length);
        for (int i = 0; i < values.Length; i++)
            tree.Set(i, values[i]);
        var counts = new double[values.Length];
        var rng = new Rng(21);
        const int draws = 200_000;
        for (int k = 0; k < draws; k++)
            counts[tree.FindPrefixSum(rng.NextDouble() * tree.Total)]++;
        Assert.That(counts[1], Is.Zero);

        int[] positive = [0, 2, 3, 4, 5];
        double[] observed = [.. positive.Select(i => counts[i])];
        double[] expected = [.. positive.Select(i => values[i] / 20)];
        double critical = ChiSquared.InvCDF(positive.Length - 1, 0.999);
        Assert.That(ReplayBufferTests.ChiSquare(observed, expected), Is.LessThan(critical));
        // The same counts are far from uniform, so the test can tell a wrong sampler apart.
        double[] uniform = [.. positive.Select(_ => 1.0 / positive.Length)];
        Assert.That(ReplayBufferTests.ChiSquare(observed, uniform), Is.GreaterThan(100 * critical));
    }

    [Test]
    public void MinTreeTracksTheSmallestSetLeaf()
    {
        var tree = new MinTree(7);
        Assert.That(tree.Min, Is.EqualTo(double.PositiveInfinity));
        var naive = Enumerable.Repeat(double.PositiveInfinity, 7).ToArray();
        var rng = new Rng(4);
        for (int k = 0; k < 2000; k++)
        {
            int i = rng.NextInt(7);
            double v = rng.NextDouble();
            tree.Set(i, v);
            naive[i] = v;
            Assert.That(tree.Min, Is.EqualTo(naive.Min()));
        }
    }

    [Test]
    public void BadValuesAreRejected()
    {
        var tree = new SumTree(4);
        Assert.That(() => tree.Set(4, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 4)"));
        Assert.That(() => tree.Set(0, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => tree.Set(0, double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => tree.FindPrefixSum(0), Throws.InvalidOperationException);
    }
}
