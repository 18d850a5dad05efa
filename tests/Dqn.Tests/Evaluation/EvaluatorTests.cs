using Training.Evaluation;
using Training.Policies;
using Dqn.Tests.Fakes;

namespace Dqn.Tests.Evaluation;

public class EvaluatorTests
{
    /// <summary>Plays action t mod 2 at step t, reading t from the observation.</summary>
    private sealed class AlternatingPolicy : IPolicy
    {
        public int Act(ReadOnlySpan<float> observation) => (int)observation[1] % 2;
    }

    private sealed class ConstantPolicy(int action) : IPolicy
    {
        public int Act(ReadOnlySpan<float> observation) => action;
    }

    [Test]
    public void ReturnsAndStatisticsOverTheFixedSeeds()
    {
        // Seeds 10, 11, 12, 13 with length 1 + seed mod 5 = 1, 2, 3, 4 and reward 2 per step: returns 2, 4, 6, 8.
        // mean 5, population std √((9 + 1 + 1 + 9) / 4) = √5, min 2, max 8.
        var env = new SeededLengthEnv(modulus: 5);
        var result = new Evaluator(env, seedBase: 10).Evaluate(new ConstantPolicy(0), episodes: 4);
        Assert.That(env.Seeds, Is.EqualTo(new ulong[] { 10, 11, 12, 13 }));
        Assert.That(result.Returns, Is.EqualTo(new double[] { 2, 4, 6, 8 }));
        Assert.That(result.Lengths, Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(result.Episodes, Is.EqualTo(4));
        Assert.That(result.Mean, Is.EqualTo(5));
        Assert.That(result.Std, Is.EqualTo(Math.Sqrt(5)).Within(1e-12));
        Assert.That(result.Min, Is.EqualTo(2));
        Assert.That(result.Max, Is.EqualTo(8));
    }

    [Test]
    public void StdMatchesMathNetsPopulationStandardDeviation()
    {
        double[] returns = [500, 487, 13, 222.5, 499, 500, 9.5];
        var result = new EvaluationResult(returns, new int[returns.Length]);
        Assert.That(result.Std, Is.EqualTo(MathNet.Numerics.Statistics.Statistics.PopulationStandardDeviation(returns)).Within(1e-9));
        Assert.That(result.Mean, Is.EqualTo(MathNet.Numerics.Statistics.Statistics.Mean(returns)).Within(1e-9));
    }

    [Test]
    public void EvaluationsAreRepeatable()
    {
        var env = new SeededLengthEnv(modulus: 7);
        var evaluator = new Evaluator(env, seedBase: 100);
        var first = evaluator.Evaluate(new ConstantPolicy(1), 5);
        var second = evaluator.Evaluate(new ConstantPolicy(1), 5);
        Assert.That(second.Returns, Is.EqualTo(first.Returns));
        Assert.That(env.Seeds, Is.EqualTo(new ulong[] { 100, 101, 102, 103, 104, 100, 101, 102, 103, 104 }));
    }

    [Test]
    public void RecordsTheChosenEpisode()
    {
        // Episode 2 has seed 22 → length 1 + 22 mod 5 = 3: observations (22, 0), (22, 1), (22, 2), (22, 3); actions 0, 1, 0.
        var env = new SeededLengthEnv(modulus: 5);
        var recording = new EpisodeRecording(observationSize: 2, maxSteps: 10);
        new Evaluator(env, seedBase: 20).Evaluate(new AlternatingPolicy(), 4, recording, recordEpisode: 2);
        Assert.That(recording.Seed, Is.EqualTo(22));
        Assert.That(recording.Length, Is.EqualTo(3));
        Assert.That(recording.Observations.ToArray(), Is.EqualTo(new float[] { 22, 0, 22, 1, 22, 2, 22, 3 }));
        Assert.That(recording.Actions.ToArray(), Is.EqualTo(new[] { 0, 1, 0 }));
        Assert.That(recording.Return, Is.EqualTo(6));
        Assert.That(recording.Terminated, Is.True);
        Assert.That(recording.IsComplete, Is.True);
        Assert.That(recording.Observation(1).ToArray(), Is.EqualTo(new float[] { 22, 1 }));
    }

    [Test]
    public void ARecordingTooShortKeepsTheStartAndSaysSo()
    {
        var env = new SeededLengthEnv(modulus: 100);
        var recording = new EpisodeRecording(2, maxSteps: 3);
        new Evaluator(env, seedBase: 9).Evaluate(new ConstantPolicy(0), 1, recording); // 10 steps
        Assert.That(recording.Length, Is.EqualTo(3));
        Assert.That(recording.IsComplete, Is.False);
        Assert.That(recording.Return, Is.EqualTo(20), "the return counts every step");
        Assert.That(recording.Observations.ToArray(), Is.EqualTo(new float[] { 9, 0, 9, 1, 9, 2, 9, 3 }));
    }

    [Test]
    public void EpisodesAllocateNothingPerStep()
    {
        var evaluator = new Evaluator(new ChainEnv(5, maxSteps: 20_000), seedBase: 0);
        var policy = new ConstantPolicy(0); // walks into the wall until the time limit
        evaluator.RunEpisode(policy, 0, null, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double ret = evaluator.RunEpisode(policy, 1, null, out int length);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(length, Is.EqualTo(20_000));
        Assert.That(ret, Is.Zero);
    }

    [Test]
    public void BadArgumentsAreNamed()
    {
        var evaluator = new Evaluator(new SeededLengthEnv(3), 0);
        Assert.That(() => evaluator.Evaluate(new ConstantPolicy(0), 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => evaluator.Evaluate(new ConstantPolicy(0), 2, new EpisodeRecording(2, 5), recordEpisode: 2),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 2)"));
        Assert.That(() => new EvaluationResult([], []), Throws.ArgumentException);
    }
}
