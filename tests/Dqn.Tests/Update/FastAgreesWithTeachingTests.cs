using Dqn.Update;

namespace Dqn.Tests.Update;

/// <summary>
/// <see cref="FastQUpdate"/> (MlpWorkspace, hand-written loss gradient, <see cref="DuelingHead"/> on spans) and
/// <see cref="QUpdate"/> (autograd) are two derivations of the same step: on random networks and batches of the hidden
/// cases' sizes, with every combination of discounts × weights × Double DQN × dueling × loss × clipping × optimizer,
/// they must give the same losses, priorities |δ| and weights after 1–3 steps (weights within the reference data's
/// tolerance, widened only where a double-precision run shows an update to be at the mercy of rounding, see
/// <see cref="DoubleQUpdate.Slack"/>).
/// </summary>
public class FastAgreesWithTeachingTests
{
    private static IEnumerable<int> Seeds() => Enumerable.Range(0, RandomProblem.FeatureCombinations);

    [TestCaseSource(nameof(Seeds))]
    public void SameLossesPrioritiesAndWeights(int seed)
    {
        var p = new RandomProblem(seed);
        var teaching = p.CopyOfOnline();
        var teachingTarget = p.Target();
        var teachingOptimizer = p.OptimizerFor(teaching);
        var batch = p.Batch();
        var fast = p.CopyOfOnline();
        var update = new FastQUpdate(fast, p.Target(), p.OptimizerFor(fast), p.Config, p.Dueling, batchCapacity: 1);
        var priorities = new float[p.BatchSize];
        double[][] rounding = DoubleQUpdate.Slack(p.Online, p.Target(), p.ForDoubleReference(), p.Steps,
            DoubleQUpdate.Run(p.Online, p.Target(), p.ForDoubleReference(), p.Steps).Parameters);

        for (int step = 0; step < p.Steps; step++)
        {
            QUpdateResult expected = QUpdate.Step(teaching, teachingTarget, teachingOptimizer, batch, p.Config, p.Dueling);
            float actual = update.Step(p.Observations, p.Actions, p.Rewards, p.NextObservations, p.Dones, p.Discounts, p.Weights, priorities);
            Assert.That(actual, Is.EqualTo(expected.Loss).Within(1e-5 * Math.Abs(expected.Loss) + 1e-7), $"{p}: loss at step {step + 1}");
            for (int i = 0; i < p.BatchSize; i++)
            {
                float want = expected.Priorities.Data[i];
                Assert.That(priorities[i], Is.EqualTo(want).Within(1e-5 * Math.Abs(want) + 1e-6), $"{p}: |δ[{i}]| at step {step + 1}");
            }
        }
        Assert.That(Weights.LargestChange(Weights.Snapshot(p.Online), fast), Is.GreaterThan(1e-3), $"{p}: the update moves the weights beyond the tolerance");
        DoubleQUpdate.AssertClose(fast, DoubleQUpdate.ParametersOf(teaching), rounding, p.ToString());
    }
}
