using Training.Config;
using Dqn.Training;
using Dqn.Update;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;
using Training.Runs;

namespace Dqn.Tests.Training;

/// <summary>
/// Each DQN option reaches the update it is meant to change. The pieces (FastQUpdate's Double DQN and dueling paths, the
/// n-step accumulator, the prioritized buffer) have mechanism tests of their own; these check the trainer's wiring:
/// its gradient step equals FastQUpdate.Step on the minibatch it sampled with the flags of the config, and not the
/// step without the flag.
/// </summary>
public class ExtensionWiringTests
{
    /// <summary>
    /// Trains to <paramref name="pauseAt"/>, copies the networks and the optimizer, lets the trainer take one more step
    /// (one gradient step), and repeats that gradient step by hand with <paramref name="updateConfig"/>. Returns
    /// whether the hand-made online network is bit-identical to the trainer's, and the TD errors of the hand-made step.
    /// </summary>
    private static (bool Same, float[] TdErrors) RepeatNextUpdate(DqnTrainer trainer, long pauseAt, QUpdateConfig updateConfig, bool dueling, bool weighted)
    {
        trainer.PauseAtStep = pauseAt;
        trainer.Train();
        var q = TrainerFixtures.Clone(trainer.QNetwork);
        var target = TrainerFixtures.Clone(trainer.TargetQNetwork);
        var optimizerState = TrainerFixtures.Clone(trainer.Optimizer.StateDict());

        trainer.PauseAtStep = pauseAt + 1;
        trainer.Train();
        var b = trainer.LastBatch;
        var adam = new Adam(q.Parameters(), trainer.Config.LearningRate);
        adam.LoadStateDict(optimizerState);
        var update = new FastQUpdate(q, target, adam, updateConfig, dueling, b.BatchSize);
        var tdErrors = new float[b.BatchSize];
        update.Step(b.Observations, b.Actions, b.Rewards, b.NextObservations, b.Terminated, b.Discounts,
            weighted ? b.Weights : default, tdErrors);
        return (TrainerFixtures.Bits(q).SequenceEqual(TrainerFixtures.Bits(trainer.QNetwork)), tdErrors);
    }

    private static QUpdateConfig UpdateConfigOf(TrainConfig c) =>
        new() { Gamma = c.Gamma, Loss = c.Loss, DoubleDqn = c.DoubleDqn, MaxGradNorm = c.MaxGradNorm };

    [TestCase(true)]
    [TestCase(false)]
    public void DoubleDqnFlagSelectsTheDoubleTarget(bool doubleDqn)
    {
        var config = TrainerFixtures.Small() with { DoubleDqn = doubleDqn };
        var asConfigured = RepeatNextUpdate(TrainerFixtures.CartPoleTrainer(config), 600, UpdateConfigOf(config), false, false);
        var flipped = RepeatNextUpdate(TrainerFixtures.CartPoleTrainer(config), 600, UpdateConfigOf(config) with { DoubleDqn = !doubleDqn }, false, false);
        Assert.That(asConfigured.Same, Is.True, "the trainer's step is FastQUpdate's with the config's flag");
        Assert.That(flipped.Same, Is.False, "and not the step with the other target");
    }

    [Test]
    public void DuelingBuildsAVAndAdvantageHeadAndUpdatesThroughIt()
    {
        var config = TrainerFixtures.Small() with { Dueling = true };
        var trainer = TrainerFixtures.CartPoleTrainer(config);
        Assert.That(((Linear)trainer.QNetwork[^1]).OutFeatures, Is.EqualTo(3), "[V, A₀, A₁]");
        Assert.That(RepeatNextUpdate(trainer, 600, UpdateConfigOf(config), dueling: true, false).Same, Is.True);
        var plain = TrainerFixtures.CartPoleTrainer(config);
        Assert.That(RepeatNextUpdate(plain, 600, UpdateConfigOf(config), dueling: false, false).Same, Is.False,
            "reading the three outputs as three Q-values is another update");
    }

    [Test]
    public void TheDuelingGreedyPolicyActsOnQNotOnTheRawOutputs()
    {
        // Output [V, A₀, A₁] = [10, 0, 1] for every input: the raw argmax is index 0 (V), the greedy action is 1.
        var net = Sequential.Mlp(new Rng(0), [1, 3]);
        Array.Clear(((Linear)net[0]).Weight.Data);
        ((Linear)net[0]).Bias!.Data[0] = 10;
        ((Linear)net[0]).Bias!.Data[1] = 0;
        ((Linear)net[0]).Bias!.Data[2] = 1;
        Assert.That(QNetworkPolicy.Greedy(net, true).Act([0.5f]), Is.EqualTo(1));
        Assert.That(QNetworkPolicy.Greedy(net, false).Act([0.5f]), Is.EqualTo(0));
    }

    [Test]
    public void NStepStoresDiscountedSumsAndBootstrapsNStepsAhead()
    {
        const int n = 3;
        var config = TrainerFixtures.Small() with { NStep = n, LearningStarts = 500, StartE = 1, EndE = 1 };
        var trainer = TrainerFixtures.CartPoleTrainer(config);
        trainer.PauseAtStep = 400;
        trainer.Train();
        var replay = trainer.Replay.GetState();
        // Within the first episode (long enough), transition t bootstraps from the observation of step t + 3.
        int firstLength = trainer.Metrics.Episodes[0].Length;
        Assert.That(firstLength, Is.GreaterThan(n + 1));
        Assert.That(replay.Discounts[0], Is.EqualTo((float)Math.Pow(config.Gamma, n)));
        Assert.That(replay.Rewards[0], Is.EqualTo((float)(1 + config.Gamma + config.Gamma * config.Gamma)));
        Assert.That(replay.NextObservations.AsSpan(0, 4).SequenceEqual(replay.Observations.AsSpan(n * 4, 4)), Is.True);
        // The last n transitions of a terminated episode are flushed with shorter sums and the terminal flag.
        int last = firstLength - 1;
        Assert.That(replay.Terminated[last], Is.EqualTo(1f));
        Assert.That(replay.Rewards[last], Is.EqualTo(1f));
        Assert.That(replay.Rewards[last - 1], Is.EqualTo((float)(1 + config.Gamma)));
        Assert.That(replay.Discounts[last - 2], Is.EqualTo((float)Math.Pow(config.Gamma, n)));

        // And the update uses those per-transition discounts.
        Assert.That(RepeatNextUpdate(trainer, 600, UpdateConfigOf(config), false, false).Same, Is.True);
    }

    [Test]
    public void PrioritizedReplaySamplesWithWeightsAndStoresNewPriorities()
    {
        var config = TrainerFixtures.Small() with { Prioritized = true, PrioritizedAlpha = 0.6, PrioritizedBeta0 = 0.4 };
        var trainer = TrainerFixtures.CartPoleTrainer(config);
        var (same, tdErrors) = RepeatNextUpdate(trainer, 600, UpdateConfigOf(config), false, weighted: true);
        Assert.That(same, Is.True, "the step is weighted by wᵢ");
        var b = trainer.LastBatch;
        Assert.That(b.Weights, Is.All.InRange(1e-6f, 1f), "weights are normalised by the largest possible one");
        Assert.That(b.Weights.Min(), Is.LessThan(b.Weights.Max()), "unequal priorities give unequal weights");
        var per = trainer.PrioritizedReplay!;
        // pᵢ^α = (|δᵢ| + ε)^α for the slots of the last batch (a slot drawn twice keeps its later δ).
        var expected = new Dictionary<int, double>();
        for (int i = 0; i < b.BatchSize; i++)
            expected[b.Indices[i]] = Math.Pow(tdErrors[i] + config.PrioritizedEps, config.PrioritizedAlpha);
        foreach (var (slot, priority) in expected)
            Assert.That(per.PriorityAt(slot), Is.EqualTo(priority).Within(1e-12 * priority), $"slot {slot}");

        var unweighted = TrainerFixtures.CartPoleTrainer(config);
        Assert.That(RepeatNextUpdate(unweighted, 600, UpdateConfigOf(config), false, weighted: false).Same, Is.False);
    }
}
