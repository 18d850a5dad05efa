using Dqn.Replay;
using MathNet.Numerics.Distributions;
using TinyTorch;

namespace Dqn.Tests.Replay;

public class ReplayBufferTests
{
    // Transition i: s = [i, −i], a = i mod 3, r = 10·i, s′ = [i + 0.5, 7], terminated when i mod 4 == 3, discount 0.9 + i/1000.
    private static void AddNumbered(ReplayBuffer buffer, int i) =>
        buffer.Add([i, -i], i % 3, 10f * i, [i + 0.5f, 7f], i % 4 == 3, 0.9f + i / 1000f);

    private static void AssertRowIsTransition(ReplayBatch batch, int row, int i)
    {
        Assert.Multiple(() =>
        {
            Assert.That(batch.Observations[2 * row], Is.EqualTo((float)i));
            Assert.That(batch.Observations[2 * row + 1], Is.EqualTo((float)-i));
            Assert.That(batch.NextObservations[2 * row], Is.EqualTo(i + 0.5f));
            Assert.That(batch.NextObservations[2 * row + 1], Is.EqualTo(7f));
            Assert.That(batch.Actions[row], Is.EqualTo(i % 3));
            Assert.That(batch.Rewards[row], Is.EqualTo(10f * i));
            Assert.That(batch.Terminated[row], Is.EqualTo(i % 4 == 3 ? 1f : 0f));
            Assert.That(batch.Discounts[row], Is.EqualTo(0.9f + i / 1000f));
            Assert.That(batch.Weights[row], Is.EqualTo(1f));
        });
    }

    [Test]
    public void SampledRowsAreWholeStoredTransitions()
    {
        var buffer = new ReplayBuffer(capacity: 10, observationSize: 2);
        for (int i = 0; i < 7; i++)
            AddNumbered(buffer, i);
        var batch = new ReplayBatch(32, 2);
        buffer.Sample(32, new Rng(5), batch);
        for (int row = 0; row < 32; row++)
        {
            int slot = batch.Indices[row];
            Assert.That(slot, Is.InRange(0, 6));
            AssertRowIsTransition(batch, row, slot);
        }
    }

    [Test]
    public void TheRingOverwritesTheOldestTransition()
    {
        var buffer = new ReplayBuffer(capacity: 3, observationSize: 2);
        for (int i = 0; i < 5; i++)
            AddNumbered(buffer, i);
        Assert.That(buffer.Count, Is.EqualTo(3));
        Assert.That(buffer.Position, Is.EqualTo(2));
        var batch = new ReplayBatch(3, 2);
        buffer.Gather([0, 1, 2], batch);
        AssertRowIsTransition(batch, 0, 3);
        AssertRowIsTransition(batch, 1, 4);
        AssertRowIsTransition(batch, 2, 2);
    }

    [Test]
    public void SamplingIsUniformWithReplacement()
    {
        const int capacity = 5, draws = 100_000;
        var buffer = new ReplayBuffer(capacity, 2);
        for (int i = 0; i < capacity; i++)
            AddNumbered(buffer, i);
        var counts = new double[capacity];
        var batch = new ReplayBatch(8, 2); // larger than the buffer: only possible with replacement
        var rng = new Rng(11);
        int batchesWithRepeats = 0;
        for (int b = 0; b < draws / 8; b++)
        {
            buffer.Sample(8, rng, batch);
            var seen = new HashSet<int>();
            foreach (int slot in batch.Indices)
            {
                counts[slot]++;
                seen.Add(slot);
            }
            if (seen.Count < 8)
                batchesWithRepeats++;
        }
        Assert.That(batchesWithRepeats, Is.EqualTo(draws / 8), "8 draws from 5 slots always repeat one");
        Assert.That(ChiSquare(counts, [.. Enumerable.Repeat(1.0 / capacity, capacity)]),
            Is.LessThan(ChiSquared.InvCDF(capacity - 1, 0.999)));
    }

    [Test]
    public void SamplingAllocatesNothing()
    {
        var buffer = new ReplayBuffer(1000, 4);
        for (int i = 0; i < 1000; i++)
            buffer.Add([i, i, i, i], i % 2, 1f, [i, i, i, i], false, 0.99f);
        var batch = new ReplayBatch(64, 4);
        var rng = new Rng(1);
        buffer.Sample(64, rng, batch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            buffer.Sample(64, rng, batch);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void StateRoundTripResumesTheSameSamplesAndRing()
    {
        var original = new ReplayBuffer(capacity: 6, observationSize: 2);
        for (int i = 0; i < 9; i++)
            AddNumbered(original, i);
        var state = original.GetState();
        var restored = new ReplayBuffer(capacity: 6, observationSize: 2);
        restored.SetState(state);
        Assert.That(restored.Count, Is.EqualTo(6));
        Assert.That(restored.Position, Is.EqualTo(3));

        // The next add overwrites the same slot in both, and sampling with equal generators gives equal batches.
        AddNumbered(original, 9);
        AddNumbered(restored, 9);
        var a = new ReplayBatch(16, 2);
        var b = new ReplayBatch(16, 2);
        original.Sample(16, new Rng(3), a);
        restored.Sample(16, new Rng(3), b);
        Assert.That(b.Indices, Is.EqualTo(a.Indices));
        Assert.That(b.Observations, Is.EqualTo(a.Observations));
        Assert.That(b.Rewards, Is.EqualTo(a.Rewards));
        Assert.That(b.Discounts, Is.EqualTo(a.Discounts));
        Assert.That(b.Terminated, Is.EqualTo(a.Terminated));
    }

    [Test]
    public void APartlyFilledStateHoldsOnlyTheFilledSlots()
    {
        var buffer = new ReplayBuffer(capacity: 100, observationSize: 2);
        for (int i = 0; i < 4; i++)
            AddNumbered(buffer, i);
        var state = buffer.GetState();
        Assert.That(state.Observations, Is.EqualTo(new float[] { 0, 0, 1, -1, 2, -2, 3, -3 }));
        Assert.That(state.Actions, Is.EqualTo(new[] { 0, 1, 2, 0 }));
        Assert.That(state.Terminated, Is.EqualTo(new float[] { 0, 0, 0, 1 }));
        Assert.That(state.Position, Is.EqualTo(4));
    }

    [Test]
    public void AStateOfAnotherShapeIsRejected()
    {
        var buffer = new ReplayBuffer(4, 2);
        AddNumbered(buffer, 0);
        var state = buffer.GetState();
        var other = new ReplayBuffer(5, 2);
        Assert.That(() => other.SetState(state), Throws.ArgumentException.With.Message.Contains("capacity 4"));
        var broken = new ReplayBufferState
        {
            Capacity = 4, ObservationSize = 2, Count = 1, Position = 1,
            Observations = [1f], NextObservations = [1f, 2f], Actions = [0], Rewards = [0f], Terminated = [0f], Discounts = [1f],
        };
        Assert.That(() => buffer.SetState(broken), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("Observations has 1 values, expected 2"));
    }

    [Test]
    public void BadInputIsNamed()
    {
        var buffer = new ReplayBuffer(4, 2);
        Assert.That(() => buffer.Add([1f, 2f, 3f], 0, 0f, [1f, 2f], false, 1f),
            Throws.ArgumentException.With.Message.Contains("3 values").And.Message.Contains("stores 2"));
        Assert.That(() => buffer.Sample(1, new Rng(1), new ReplayBatch(1, 2)),
            Throws.InvalidOperationException.With.Message.Contains("empty"));
        AddNumbered(buffer, 0);
        Assert.That(() => buffer.Sample(5, new Rng(1), new ReplayBatch(4, 2)),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("[1, 4]"));
        Assert.That(() => new ReplayBuffer(0, 2), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    /// <summary>Pearson's χ² of observed counts against expected probabilities.</summary>
    internal static double ChiSquare(double[] counts, double[] probabilities)
    {
        double total = counts.Sum(), chi = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            double expected = total * probabilities[i];
            chi += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        return chi;
    }
}
