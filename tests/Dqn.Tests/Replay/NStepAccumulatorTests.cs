using Dqn.Replay;
using Dqn.Tests.Fakes;

namespace Dqn.Tests.Replay;

public class NStepAccumulatorTests
{
    // States are [t]: transition t goes from [t] to [t + 1] with reward r(t) = t + 1.
    private static void Feed(NStepAccumulator acc, ITransitionSink sink, int t, bool terminated = false, bool truncated = false) =>
        acc.Add([t], action: t % 2, reward: t + 1, [t + 1], terminated, truncated, sink);

    [Test]
    public void ThreeStepReturnsWithinAnEpisode()
    {
        // γ = 0.5, n = 3. From s₀: R = 1 + 0.5·2 + 0.25·3 = 2.75, bootstrap from s₃ with γ³ = 0.125.
        // From s₁: R = 2 + 0.5·3 + 0.25·4 = 4.5, bootstrap from s₄.
        var acc = new NStepAccumulator(3, 0.5, 1);
        var sink = new RecordingSink();
        Feed(acc, sink, 0);
        Feed(acc, sink, 1);
        Assert.That(sink.Transitions, Is.Empty);
        Feed(acc, sink, 2);
        Feed(acc, sink, 3);
        Assert.That(sink.Transitions, Has.Count.EqualTo(2));
        var first = sink.Transitions[0];
        Assert.That(first.Observation, Is.EqualTo(new float[] { 0 }));
        Assert.That(first.Action, Is.EqualTo(0));
        Assert.That(first.Reward, Is.EqualTo(2.75f));
        Assert.That(first.NextObservation, Is.EqualTo(new float[] { 3 }));
        Assert.That(first.Discount, Is.EqualTo(0.125f));
        Assert.That(first.Terminated, Is.False);
        var second = sink.Transitions[1];
        Assert.That(second.Observation, Is.EqualTo(new float[] { 1 }));
        Assert.That(second.Action, Is.EqualTo(1));
        Assert.That(second.Reward, Is.EqualTo(4.5f));
        Assert.That(second.NextObservation, Is.EqualTo(new float[] { 4 }));
        Assert.That(acc.PendingCount, Is.EqualTo(2));
    }

    [Test]
    public void TerminationCutsTheSumsAndFlushesWithoutBootstrap()
    {
        // Episode of 5 steps, terminated at t = 4 (reward 5), n = 3, γ = 0.5.
        // Emitted: s₀: 2.75 (s₃), s₁: 4.5 (s₄), then at termination s₂: 3 + 0.5·4 + 0.25·5 = 6.25,
        // s₃: 4 + 0.5·5 = 6.5, s₄: 5, all three terminated with s′ = s₅.
        var acc = new NStepAccumulator(3, 0.5, 1);
        var sink = new RecordingSink();
        for (int t = 0; t < 5; t++)
            Feed(acc, sink, t, terminated: t == 4);
        Assert.That(sink.Transitions.Select(x => x.Reward), Is.EqualTo(new[] { 2.75f, 4.5f, 6.25f, 6.5f, 5f }));
        Assert.That(sink.Transitions.Select(x => x.Terminated), Is.EqualTo(new[] { false, false, true, true, true }));
        Assert.That(sink.Transitions.Select(x => x.Observation[0]), Is.EqualTo(new float[] { 0, 1, 2, 3, 4 }));
        Assert.That(sink.Transitions.Skip(2).Select(x => x.NextObservation[0]), Is.All.EqualTo(5f));
        Assert.That(acc.PendingCount, Is.Zero);
    }

    [Test]
    public void AnEpisodeShorterThanNStillEmitsEveryStep()
    {
        // Two steps then termination, n = 3, γ = 0.9: s₀: 1 + 0.9·2 = 2.8, s₁: 2.
        var acc = new NStepAccumulator(3, 0.9, 1);
        var sink = new RecordingSink();
        Feed(acc, sink, 0);
        Feed(acc, sink, 1, terminated: true);
        Assert.That(sink.Transitions.Select(x => x.Reward), Is.EqualTo(new[] { 2.8f, 2f }));
        Assert.That(sink.Transitions.Select(x => x.Terminated), Is.All.True);
    }

    [Test]
    public void TruncationFlushesPartialSumsThatStillBootstrap()
    {
        // Same as the termination case but truncated at t = 4: the flushed transitions bootstrap from s₅ with
        // γ^m for their m known rewards: s₂ (m = 3): 0.125, s₃ (m = 2): 0.25, s₄ (m = 1): 0.5.
        var acc = new NStepAccumulator(3, 0.5, 1);
        var sink = new RecordingSink();
        for (int t = 0; t < 5; t++)
            Feed(acc, sink, t, truncated: t == 4);
        var flushed = sink.Transitions.Skip(2).ToList();
        Assert.That(flushed.Select(x => x.Reward), Is.EqualTo(new[] { 6.25f, 6.5f, 5f }));
        Assert.That(flushed.Select(x => x.Discount), Is.EqualTo(new[] { 0.125f, 0.25f, 0.5f }));
        Assert.That(flushed.Select(x => x.Terminated), Is.All.False);
        Assert.That(flushed.Select(x => x.NextObservation[0]), Is.All.EqualTo(5f));
    }

    [Test]
    public void EpisodesDoNotMix()
    {
        var acc = new NStepAccumulator(2, 0.5, 1);
        var sink = new RecordingSink();
        Feed(acc, sink, 0, terminated: true); // s₀: 1, flushed alone
        Feed(acc, sink, 10);                  // a new episode: nothing from the old one is pending
        Feed(acc, sink, 11);                  // s₁₀: 11 + 0.5·12 = 17
        Assert.That(sink.Transitions.Select(x => x.Reward), Is.EqualTo(new[] { 1f, 17f }));
        Assert.That(sink.Transitions[1].Observation, Is.EqualTo(new float[] { 10 }));
    }

    [Test]
    public void OneStepPassesThroughWithDiscountGamma()
    {
        var acc = new NStepAccumulator(1, 0.99, 1);
        var sink = new RecordingSink();
        Feed(acc, sink, 0);
        Feed(acc, sink, 1, terminated: true);
        Assert.That(sink.Transitions.Select(x => x.Reward), Is.EqualTo(new[] { 1f, 2f }));
        Assert.That(sink.Transitions[0].Discount, Is.EqualTo(0.99f));
        Assert.That(sink.Transitions[0].NextObservation, Is.EqualTo(new float[] { 1 }));
        Assert.That(sink.Transitions.Select(x => x.Terminated), Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void WritesIntoAReplayBufferWithoutAllocating()
    {
        var acc = new NStepAccumulator(3, 0.99, 2);
        var buffer = new ReplayBuffer(100, 2);
        float[] s = [1, 2], s2 = [3, 4];
        for (int t = 0; t < 10; t++)
            acc.Add(s, 0, 1f, s2, false, t == 9, buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 1000; t++)
            acc.Add(s, 0, 1f, s2, false, t % 50 == 49, buffer);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(buffer.Count, Is.EqualTo(100));
    }

    [Test]
    public void BadArgumentsAreNamed()
    {
        Assert.That(() => new NStepAccumulator(0, 0.9, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("n_step"));
        Assert.That(() => new NStepAccumulator(1, 1.5, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("gamma"));
    }
}
