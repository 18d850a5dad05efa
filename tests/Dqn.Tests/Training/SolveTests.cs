using Dqn.Config;
using Dqn.Training;

namespace Dqn.Tests.Training;

public class SolveTests
{
    [Test]
    public void TheFastPresetSolvesCartPoleWithASeededShortRun()
    {
        // Seed 5 solves early (about 8k environment steps, under a second with optimized code).
        var config = Presets.Fast with { Seed = 5 };
        var trainer = TrainerFixtures.CartPoleTrainer(config);
        var outcome = trainer.Train();

        Assert.That(outcome.Finished, Is.True);
        Assert.That(outcome.SolvedAtStep, Is.Not.Null.And.LessThanOrEqualTo(25_000));
        Assert.That(outcome.Steps, Is.EqualTo(outcome.SolvedAtStep), "stop_when_solved ends the run at the solving evaluation");
        Assert.That(outcome.BestEvaluation!.Value.Mean, Is.GreaterThanOrEqualTo(475));
        Assert.That(outcome.FinalEvaluation!.Episodes, Is.EqualTo(100));
        Assert.That(outcome.FinalEvaluation.Mean, Is.GreaterThanOrEqualTo(475), "the best weights balance on 100 evaluation episodes");
        // The best policy is what the final evaluation ran: playing it again gives the same returns.
        var again = new Dqn.Evaluation.Evaluator(TrainerFixtures.CartPole(config), config.EvalSeed).Evaluate(trainer.BestPolicy, 100);
        Assert.That(again.Returns, Is.EqualTo(outcome.FinalEvaluation.Returns));
    }
}
