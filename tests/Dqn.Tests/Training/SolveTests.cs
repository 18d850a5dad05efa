using Training.Evaluation;
using Training.Config;
using Dqn.Training;
using Training.Runs;

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
        var again = new Evaluator(TrainerFixtures.CartPole(config), config.EvalSeed).Evaluate(trainer.BestPolicy, 100);
        Assert.That(again.Returns, Is.EqualTo(outcome.FinalEvaluation.Returns));
    }

    [Test]
    public void ARunKeepsTrainingWhenTheSolvingWeightsFailTheFinalEvaluation()
    {
        // Seed 2 first reaches 475 over 20 evaluation episodes at step 12,000 with weights that average under 475 over
        // the 100 final ones; stopping there would report an unsolved run, so training goes on to weights that pass.
        var config = Presets.Fast with { Seed = 2 };
        var outcome = TrainerFixtures.CartPoleTrainer(config).Train();

        Assert.That(outcome.SolvedAtStep, Is.EqualTo(12_000));
        Assert.That(outcome.Steps, Is.GreaterThan(outcome.SolvedAtStep), "the first solving evaluation was not confirmed");
        Assert.That(outcome.BestEvaluation!.Value.Step, Is.EqualTo(outcome.Steps), "the confirmed weights are the model");
        Assert.That(outcome.FinalEvaluation!.Mean, Is.GreaterThanOrEqualTo(475));
    }
}
