using CartPole;
using PolicyGradient.Training;
using TinyTorch.Optim;

namespace PolicyGradient.Tests.Training;

/// <summary>The outer loop: the schedule it follows, its bookkeeping, and that a seed fixes the run.</summary>
public class PpoLearnerTests
{
    private static PpoConfig Small => new() { Seed = 3, NumEnvs = 2, NumSteps = 32, NumMinibatches = 2, UpdateEpochs = 2, TotalTimesteps = 64 * 3, HiddenSizes = [8] };

    [Test]
    public void FollowsTheLinearScheduleAndCountsSteps()
    {
        var learner = new PpoLearner(Small);
        var schedule = new LinearLrSchedule(Small.LearningRate, 3);
        for (int i = 1; i <= 3; i++)
        {
            PpoIterationResult r = learner.Iterate();
            Assert.That(r.Iteration, Is.EqualTo(i));
            Assert.That(r.LearningRate, Is.EqualTo(schedule.LrAt(i)));
            Assert.That(r.EnvSteps, Is.EqualTo(64L * i));
            Assert.That(r.EpochsRun, Is.EqualTo(2));
        }
        Assert.That(learner.Optimizer.StepCount, Is.EqualTo(3 * 2 * 2), "iterations × epochs × minibatches");
        Assert.That(() => learner.Iterate(), Throws.InvalidOperationException.With.Message.Contains("all 3 iterations are done"));
    }

    [Test]
    public void EpisodeReturnsAreTheRewardsBetweenEpisodeEnds()
    {
        // CartPole pays 1 per step, so with a limit of 10 steps every return is an episode length in 1..10.
        var learner = new PpoLearner(Small, new CartPoleOptions { MaxEpisodeSteps = 10 });
        PpoIterationResult r = learner.Iterate();
        Assert.That(r.EpisodeReturns, Is.Not.Empty);
        Assert.That(r.EpisodeReturns, Has.All.InRange(1f, 10f));
        int ends = Enumerable.Range(0, learner.Buffer.Size).Count(k => learner.Buffer.Terminated[k] || learner.Buffer.Truncated[k]);
        Assert.That(r.EpisodeReturns, Has.Length.EqualTo(ends));
    }

    [Test]
    public void TheSeedFixesTheRunAndAnotherSeedChangesIt()
    {
        var a = new PpoLearner(Small);
        var b = new PpoLearner(Small);
        var c = new PpoLearner(Small with { Seed = 4 });
        for (int i = 0; i < 2; i++)
        {
            a.Iterate();
            b.Iterate();
            c.Iterate();
        }
        foreach (var (key, value) in a.Agent.StateDict())
        {
            Assert.That(b.Agent.StateDict()[key].Data, Is.EqualTo(value.Data), key);
            Assert.That(c.Agent.StateDict()[key].Data, Is.Not.EqualTo(value.Data), key);
        }
    }

    [Test]
    public void ValidatesTheConfig()
    {
        Assert.That(() => new PpoLearner(Small with { NumMinibatches = 3 }), Throws.ArgumentException.With.Message.Contains("must divide the batch of NumEnvs·NumSteps = 64 rows"));
        Assert.That(() => new PpoLearner(Small with { TotalTimesteps = 10 }), Throws.ArgumentException.With.Message.Contains("at least one batch of 64 steps"));
        Assert.That(() => new PpoLearner(Small with { ClipCoef = -1 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void DefaultsAreCleanRlsCartPoleOnes()
    {
        var c = new PpoConfig();
        Assert.That((c.NumEnvs, c.NumSteps, c.BatchSize, c.MinibatchSize, c.UpdateEpochs), Is.EqualTo((4, 128, 512, 128, 4)));
        Assert.That((c.LearningRate, c.Gamma, c.GaeLambda, c.ClipCoef, c.EntCoef, c.VfCoef, c.MaxGradNorm, c.AdamEps),
            Is.EqualTo((2.5e-4, 0.99, 0.95, 0.2, 0.01, 0.5, (double?)0.5, 1e-5)));
        Assert.That(c.HiddenSizes, Is.EqualTo(new[] { 64, 64 }));
        Assert.That(c.AnnealLr && c.NormAdv && c.ClipVloss && c.TargetKl is null);
    }
}
