using Dqn.Replay;
using MathNet.Numerics.Distributions;
using TinyTorch;

namespace Dqn.Tests.Replay;

public class PrioritizedReplayBufferTests
{
    private static PrioritizedReplayBuffer Filled(int count, double alpha, double epsilon)
    {
        var buffer = new PrioritizedReplayBuffer(capacity: 8, observationSize: 1, alpha, epsilon);
        for (int i = 0; i < count; i++)
            buffer.Add([i], 0, i, [i + 1], false, 0.99f);
        return buffer;
    }

    [Test]
    public void WeightsFollowTheFormulaOnAHandExample()
    {
        // ε = 0.5 and |δ| = 0.5, 1.5, 3.5, 1.5 give p = 1, 2, 4, 2. With α = 1: P = 1/9, 2/9, 4/9, 2/9, N = 4.
        // w_i = (N·P(i))^−β / max_j w_j = (P(i) / P_min)^−β; with β = 0.5: w = 1, 1/√2, 1/2, 1/√2.
        var buffer = Filled(4, alpha: 1, epsilon: 0.5);
        buffer.UpdatePriorities([0, 1, 2, 3], [0.5f, -1.5f, 3.5f, 1.5f]);
        double[] expected = [1, 1 / Math.Sqrt(2), 0.5, 1 / Math.Sqrt(2)];
        var batch = new ReplayBatch(64, 1);
        buffer.Sample(64, beta: 0.5, new Rng(2), batch);
        for (int k = 0; k < 64; k++)
            Assert.That(batch.Weights[k], Is.EqualTo(expected[batch.Indices[k]]).Within(1e-6));
        Assert.That(batch.Indices.Distinct().Count(), Is.EqualTo(4));
    }

    [Test]
    public void AlphaShapesTheWeightsToo()
    {
        // Same priorities with α = 0.5: pᵅ = 1, √2, 2, √2, so w = (pᵢᵅ / p_minᵅ)^−β with β = 1: 1, 2^−½, ½, 2^−½.
        var buffer = Filled(4, alpha: 0.5, epsilon: 0.5);
        buffer.UpdatePriorities([0, 1, 2, 3], [0.5f, 1.5f, 3.5f, 1.5f]);
        Assert.That(buffer.PriorityAt(2), Is.EqualTo(2).Within(1e-12));
        var batch = new ReplayBatch(32, 1);
        buffer.Sample(32, beta: 1, new Rng(8), batch);
        double[] expected = [1, Math.Pow(2, -0.5), 0.5, Math.Pow(2, -0.5)];
        for (int k = 0; k < 32; k++)
            Assert.That(batch.Weights[k], Is.EqualTo(expected[batch.Indices[k]]).Within(1e-6));
    }

    [Test]
    public void SamplingFrequenciesAreProportionalToPriorityToTheAlpha()
    {
        // |δ| + ε = 1, 2, 4, 8 with α = 0.5: P ∝ 1, √2, 2, 2√2.
        var buffer = Filled(4, alpha: 0.5, epsilon: 1);
        buffer.UpdatePriorities([0, 1, 2, 3], [0f, 1f, 3f, 7f]);
        var counts = new double[4];
        var batch = new ReplayBatch(32, 1);
        var rng = new Rng(17);
        for (int b = 0; b < 5_000; b++)
        {
            buffer.Sample(32, beta: 0.4, rng, batch);
            foreach (int slot in batch.Indices)
                counts[slot]++;
        }
        double[] weights = [1, Math.Sqrt(2), 2, 2 * Math.Sqrt(2)];
        double[] expected = [.. weights.Select(w => w / weights.Sum())];
        double critical = ChiSquared.InvCDF(3, 0.999);
        Assert.That(ReplayBufferTests.ChiSquare(counts, expected), Is.LessThan(critical));
        // Ignoring α (P ∝ p) would be rejected by the same counts.
        double[] withoutAlpha = [1 / 15.0, 2 / 15.0, 4 / 15.0, 8 / 15.0];
        Assert.That(ReplayBufferTests.ChiSquare(counts, withoutAlpha), Is.GreaterThan(100 * critical));
    }

    [Test]
    public void SamplingIsStratified()
    {
        // One draw per segment of [0, Σpᵅ): the slots of a batch come out in non-decreasing order, and with equal
        // priorities and a batch as large as the buffer every slot appears exactly once.
        var buffer = Filled(8, alpha: 0.6, epsilon: 1e-6);
        var batch = new ReplayBatch(8, 1);
        buffer.Sample(8, beta: 0.4, new Rng(1), batch);
        Assert.That(batch.Indices, Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5, 6, 7 }));
        buffer.UpdatePriorities([0, 3, 5], [2f, 0.1f, 7f]);
        for (int seed = 0; seed < 20; seed++)
        {
            buffer.Sample(8, beta: 0.4, new Rng((ulong)seed), batch);
            Assert.That(batch.Indices, Is.Ordered);
        }
    }

    [Test]
    public void NewTransitionsGetTheLargestPrioritySeen()
    {
        var buffer = Filled(3, alpha: 1, epsilon: 0.01);
        Assert.That(buffer.PriorityAt(0), Is.EqualTo(1), "the first transitions get priority 1");
        buffer.UpdatePriorities([1], [4.99f]);
        Assert.That(buffer.MaxPriority, Is.EqualTo(5).Within(1e-6));
        buffer.Add([9], 0, 0, [9], false, 0.99f);
        Assert.That(buffer.PriorityAt(3), Is.EqualTo(5).Within(1e-6));
        buffer.UpdatePriorities([1], [0f]);
        Assert.That(buffer.MaxPriority, Is.EqualTo(5).Within(1e-6), "the maximum never shrinks");
    }

    [Test]
    public void StateRoundTripKeepsPrioritiesAndSampling()
    {
        var original = Filled(6, alpha: 0.6, epsilon: 1e-3);
        original.UpdatePriorities([0, 2, 4], [3f, 0.2f, 9f]);
        var restored = new PrioritizedReplayBuffer(8, 1, 0.6, 1e-3);
        restored.SetState(original.GetState());
        Assert.That(restored.MaxPriority, Is.EqualTo(original.MaxPriority));
        var a = new ReplayBatch(16, 1);
        var b = new ReplayBatch(16, 1);
        original.Sample(16, 0.7, new Rng(5), a);
        restored.Sample(16, 0.7, new Rng(5), b);
        Assert.That(b.Indices, Is.EqualTo(a.Indices));
        Assert.That(b.Weights, Is.EqualTo(a.Weights));
    }

    [Test]
    public void BadArgumentsAreNamed()
    {
        var buffer = Filled(2, alpha: 0.6, epsilon: 1e-6);
        var batch = new ReplayBatch(2, 1);
        Assert.That(() => buffer.Sample(2, 1.5, new Rng(1), batch), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("beta"));
        Assert.That(() => buffer.UpdatePriorities([0, 1], [1f]), Throws.ArgumentException.With.Message.Contains("2 indices but 1 TD errors"));
        Assert.That(() => buffer.UpdatePriorities([5], [1f]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 2)"));
        Assert.That(() => buffer.UpdatePriorities([0], [float.NaN]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("finite"));
        Assert.That(() => new PrioritizedReplayBuffer(4, 1, -1, 1e-6), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("alpha"));
        Assert.That(() => new PrioritizedReplayBuffer(4, 1, 0.6, 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("epsilon"));
    }
}
