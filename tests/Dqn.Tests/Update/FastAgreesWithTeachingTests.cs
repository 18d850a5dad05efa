using Dqn.Update;

namespace Dqn.Tests.Update;

/// <summary>
/// <see cref="FastQUpdate"/> (MlpWorkspace, hand-written loss gradient) and <see cref="QUpdate"/> (autograd) are two
/// derivations of the same step: on random networks and batches of the hidden cases' sizes, with every combination of
/// loss, optimizer, Double DQN and clipping, they must give the same losses and weights after 1–3 steps.
/// </summary>
public class FastAgreesWithTeachingTests
{
    private static IEnumerable<int> Seeds() => Enumerable.Range(0, 32);

    [TestCaseSource(nameof(Seeds))]
    public void SameLossesAndWeights(int seed)
    {
        var p = new RandomProblem(seed);
        var teaching = p.CopyOfOnline();
        var teachingTarget = p.Target();
        var teachingOptimizer = p.OptimizerFor(teaching);
        var batch = p.Batch();
        var fast = p.CopyOfOnline();
        var update = new FastQUpdate(fast, p.Target(), p.OptimizerFor(fast), p.Config, batchCapacity: 1);

        for (int step = 0; step < p.Steps; step++)
        {
            float expected = QUpdate.Step(teaching, teachingTarget, teachingOptimizer, batch, p.Config).Loss;
            float actual = update.Step(p.Observations, p.Actions, p.Rewards, p.NextObservations, p.Dones);
            Assert.That(actual, Is.EqualTo(expected).Within(1e-5 * Math.Abs(expected) + 1e-7), $"{p}: loss at step {step + 1}");
        }
        Assert.That(Weights.LargestChange(Weights.Snapshot(p.Online), fast), Is.GreaterThan(1e-3), $"{p}: the update moves the weights beyond the tolerance");
        Weights.AssertClose(fast, Weights.Snapshot(teaching), p.ToString());
    }
}
