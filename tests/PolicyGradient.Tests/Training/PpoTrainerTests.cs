using PolicyGradient.Training;
using TinyTorch.Optim;
using Training.Config;

namespace PolicyGradient.Tests.Training;

/// <summary>The policy-gradient loop: the schedule it follows, its bookkeeping, its presets, and that a seed fixes the run.</summary>
public class PpoTrainerTests
{
    [Test]
    public void FollowsTheLinearScheduleAndCountsSteps()
    {
        var config = PgFixtures.Small(Algorithm.Ppo);
        var trainer = PgFixtures.Trainer(config);
        var outcome = trainer.Train();
        Assert.That(outcome.Finished, Is.True);
        Assert.That(outcome.Steps, Is.EqualTo(192));
        // lr₃ = (1 − 2/3)·lr₀, the learning rate of the last of 3 iterations
        Assert.That(trainer.Optimizer.Lr, Is.EqualTo(new LinearLrSchedule(config.LearningRate, 3).LrAt(3)));
        Assert.That(trainer.Optimizer.StepCount, Is.EqualTo(3 * 2 * 2), "iterations × epochs × minibatches");
        Assert.That(outcome.Updates, Is.EqualTo(12));
        // an evaluation after each 64 steps, then the final one
        Assert.That(trainer.Metrics.Evaluations.Select(e => e.Step), Is.EqualTo(new long[] { 64, 128, 192, 192 }));
    }

    [Test]
    public void WithoutAnnealingTheLearningRateStays()
    {
        var config = PgFixtures.Small(Algorithm.Ppo) with { Ppo = PgFixtures.Small(Algorithm.Ppo).Ppo with { AnnealLr = false } };
        var trainer = PgFixtures.Trainer(config);
        trainer.Train();
        Assert.That(trainer.Optimizer.Lr, Is.EqualTo(config.LearningRate));
    }

    [TestCase(Algorithm.Ppo)]
    [TestCase(Algorithm.Reinforce)]
    public void EveryStepIsInAnEpisodeLoggedOnceItEnds(Algorithm algorithm)
    {
        // CartPole pays 1 per step: each logged return is its episode's length, at most the time limit of 20; the
        // lengths of the ended episodes and of those still running add up to the steps of every env.
        var trainer = PgFixtures.Trainer(PgFixtures.Small(algorithm));
        trainer.Train();
        var episodes = trainer.Metrics.Episodes;
        Assert.That(episodes, Is.Not.Empty);
        Assert.That(episodes.Select(e => e.Return), Is.EqualTo(episodes.Select(e => (double)e.Length)));
        Assert.That(episodes.Select(e => e.Length), Has.All.InRange(1, 20));
        Assert.That(episodes.Sum(e => e.Length) + trainer.State.RunningLengths.Sum(), Is.EqualTo(192));
        Assert.That(episodes.Select(e => e.Episode), Is.EqualTo(Enumerable.Range(1, episodes.Count)));
    }

    [TestCase(Algorithm.Ppo)]
    [TestCase(Algorithm.Reinforce)]
    public void TheSeedFixesTheRunAndAnotherSeedChangesIt(Algorithm algorithm)
    {
        var a = PgFixtures.Trainer(PgFixtures.Small(algorithm));
        var b = PgFixtures.Trainer(PgFixtures.Small(algorithm));
        var c = PgFixtures.Trainer(PgFixtures.Small(algorithm, seed: 4));
        a.Train();
        b.Train();
        c.Train();
        Assert.That(PgFixtures.Bits(b.Agent), Is.EqualTo(PgFixtures.Bits(a.Agent)));
        Assert.That(PgFixtures.Bits(c.Agent), Is.Not.EqualTo(PgFixtures.Bits(a.Agent)));
        Assert.That(PgFixtures.MetricsWithoutTime(b.Metrics.ToCsv()), Is.EqualTo(PgFixtures.MetricsWithoutTime(a.Metrics.ToCsv())));
    }

    [Test]
    public void ReinforceTakesOneStepPerRollout()
    {
        var trainer = PgFixtures.Trainer(PgFixtures.Small(Algorithm.Reinforce));
        var outcome = trainer.Train();
        Assert.That(outcome.Updates, Is.EqualTo(3));
        Assert.That(trainer.Optimizer.StepCount, Is.EqualTo(3));
    }

    [Test]
    public void ValidationNamesTheRolloutRules()
    {
        var small = PgFixtures.Small(Algorithm.Ppo);
        Assert.That(() => PgFixtures.Trainer(small with { Ppo = small.Ppo with { NumMinibatches = 3 } }),
            Throws.InstanceOf<ConfigException>().With.Message.Contains("ppo.num_minibatches (3) must divide ppo.num_envs × ppo.num_steps = 64 rows evenly"));
        Assert.That(() => PgFixtures.Trainer(small with { TotalTimesteps = 10 }),
            Throws.InstanceOf<ConfigException>().With.Message.Contains("ppo.num_envs × ppo.num_steps (64) must be ≤ total_timesteps (10)"));
        Assert.That(() => PgFixtures.Trainer(small with { Algorithm = Algorithm.Dqn }), Throws.InstanceOf<ConfigException>());
        // the minibatch rule is PPO's alone: REINFORCE takes the rollout whole
        Assert.That(PgFixtures.Small(Algorithm.Reinforce) with { Ppo = small.Ppo with { NumMinibatches = 3 } }, Has.Property("Ppo").Not.Null);
        Assert.That((PgFixtures.Small(Algorithm.Reinforce) with { Ppo = small.Ppo with { NumMinibatches = 3 } }).Problems(), Is.Empty);
    }

    [Test]
    public void ThePpoPresetIsCleanRlsCartPoleDefaults()
    {
        var c = Presets.Get("ppo");
        var p = c.Ppo;
        Assert.That(c.Algorithm, Is.EqualTo(Algorithm.Ppo));
        Assert.That((p.NumEnvs, p.NumSteps, p.BatchSize, p.NumMinibatches, p.UpdateEpochs), Is.EqualTo((4, 128, 512, 4, 4)));
        Assert.That((c.TotalTimesteps, c.LearningRate, c.Gamma, p.GaeLambda, p.ClipCoef, p.EntCoef, p.VfCoef, c.MaxGradNorm, p.AdamEps),
            Is.EqualTo((500_000L, 2.5e-4, 0.99, 0.95, 0.2, 0.01, 0.5, (double?)0.5, 1e-5)));
        Assert.That(c.HiddenSizes, Is.EqualTo(new[] { 64, 64 }));
        Assert.That(p.AnnealLr && p.NormAdv && p.ClipVloss && p.TargetKl is null && p.BootstrapTruncation);
    }

    [Test]
    public void BestPolicyIsTheKeptAgentPlayedGreedily()
    {
        var trainer = PgFixtures.Trainer(PgFixtures.Small(Algorithm.Ppo));
        trainer.Train();
        var best = (Agent)trainer.BestPolicy;
        Assert.That(best, Is.Not.SameAs(trainer.Agent));
        Assert.That(best.StateDict().Keys, Is.EqualTo(trainer.Agent.StateDict().Keys));
        // the kept weights are those of the best periodic evaluation: replaying it on the same seeds gives its mean
        var evaluator = new global::Training.Evaluation.Evaluator(PgFixtures.CartPole(trainer.Config), trainer.Config.EvalSeed);
        Assert.That(evaluator.Evaluate(best, trainer.Config.EvalEpisodes).Mean,
            Is.EqualTo(trainer.State.Tracker.Best!.Value.Mean));
    }
}
