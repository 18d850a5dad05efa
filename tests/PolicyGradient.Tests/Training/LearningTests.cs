using Training.Config;
using Training.Evaluation;

namespace PolicyGradient.Tests.Training;

/// <summary>
/// Both algorithms learn: after a few thousand steps the greedy policy balances far longer than the untrained agent's
/// (whose near-uniform logits make it push one way and fall in about ten steps). A sign error in a loss, a wrong
/// advantage or a broken rollout keeps the return near the untrained one. Each run takes well under a second.
/// </summary>
public class LearningTests
{
    [TestCase("ppo-fast", 4_096L)]
    [TestCase("reinforce", 16_384L)]
    public void TheGreedyReturnGrowsFarBeyondTheUntrainedAgents(string preset, long steps)
    {
        var config = Presets.Get(preset) with
        {
            Seed = 2,
            TotalTimesteps = steps,
            EvalFrequency = steps,
            EvalEpisodes = 5,
            FinalEvalEpisodes = 5,
            StopWhenSolved = false,
        };
        var trainer = PgFixtures.Trainer(config);
        double untrained = new Evaluator(PgFixtures.CartPole(config), config.EvalSeed).Evaluate(trainer.Agent, 5).Mean;
        trainer.Train();
        double trained = trainer.State.Tracker.Best!.Value.Mean;
        Assert.That(untrained, Is.LessThan(30));
        Assert.That(trained, Is.GreaterThan(Math.Max(60, 3 * untrained)), $"untrained {untrained}, trained {trained}");
    }
}
