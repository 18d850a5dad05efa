using Dqn.Tests.Fakes;
using Dqn.Training;
using Training.Config;

namespace Dqn.Tests.Training;

/// <summary>
/// The solve rule inside the trainer: a periodic evaluation that reaches solve_threshold is confirmed on
/// final_eval_episodes episodes before the run counts as solved or stops. The environments decide the evaluations'
/// returns by their reset seeds, so these tests do not depend on any training trajectory (or any CPU's rounding).
/// </summary>
public class SolveTests
{
    private static TrainConfig Config => TrainerFixtures.Small() with
    {
        TotalTimesteps = 1_200,
        EvalFrequency = 300,
        EvalEpisodes = 20,
        FinalEvalEpisodes = 100,
        SolveThreshold = 9,
        StopWhenSolved = true,
    };

    [Test]
    public void ARunKeepsTrainingWhenTheSolvingWeightsFailTheConfirmation()
    {
        var config = Config;
        // Every periodic evaluation (seeds eval_seed + 0..19) returns 10 ≥ 9; the confirmation's other 80 episodes return 1.
        var trainer = new DqnTrainer(config, () => new EvaluationSplitEnv(config.EvalSeed, 20, 10));
        var outcome = trainer.Train();

        var periodic = trainer.Metrics.Evaluations.Where(e => !e.Final).ToList();
        Assert.That(periodic, Has.Count.EqualTo(4));
        Assert.That(periodic.Select(e => e.Mean), Is.All.EqualTo(10), "every periodic evaluation reached the threshold");
        Assert.That(outcome.SolvedAtStep, Is.Null, "no confirmation passed");
        Assert.That(outcome.Steps, Is.EqualTo(config.TotalTimesteps), "stop_when_solved did not stop on unconfirmed evaluations");
        Assert.That(outcome.FinalEvaluation!.Mean, Is.EqualTo((20 * 10 + 80 * 1) / 100.0));
    }

    [Test]
    public void ARunStopsAtTheFirstConfirmedEvaluationAndKeepsItsWeights()
    {
        var config = Config;
        // All 100 evaluation seeds give long episodes: the first periodic evaluation is confirmed.
        var trainer = new DqnTrainer(config, () => new EvaluationSplitEnv(config.EvalSeed, 100, 10));
        var outcome = trainer.Train();

        Assert.That(outcome.SolvedAtStep, Is.EqualTo(config.EvalFrequency));
        Assert.That(outcome.Steps, Is.EqualTo(config.EvalFrequency), "stop_when_solved ends the run at the confirmed evaluation");
        Assert.That(outcome.BestEvaluation!.Value.Step, Is.EqualTo(config.EvalFrequency));
        Assert.That(outcome.FinalEvaluation!.Episodes, Is.EqualTo(100));
        Assert.That(outcome.FinalEvaluation.Mean, Is.EqualTo(10), "the final evaluation is the confirmation");
        Assert.That(TrainerFixtures.Bits(trainer.BestNetwork), Is.EqualTo(TrainerFixtures.Bits(trainer.QNetwork)),
            "the kept weights are those that were confirmed (training stopped right there)");
    }

    [Test]
    public void WithoutStopWhenSolvedTheConfirmedWeightsStayTheModel()
    {
        var config = Config with { StopWhenSolved = false };
        var trainer = new DqnTrainer(config, () => new EvaluationSplitEnv(config.EvalSeed, 100, 10));
        var outcome = trainer.Train();

        Assert.That(outcome.SolvedAtStep, Is.EqualTo(config.EvalFrequency));
        Assert.That(outcome.Steps, Is.EqualTo(config.TotalTimesteps));
        Assert.That(outcome.BestEvaluation!.Value.Step, Is.EqualTo(config.EvalFrequency), "later equal evaluations do not replace confirmed weights");
        Assert.That(TrainerFixtures.Bits(trainer.BestNetwork), Is.Not.EqualTo(TrainerFixtures.Bits(trainer.QNetwork)));
    }
}
