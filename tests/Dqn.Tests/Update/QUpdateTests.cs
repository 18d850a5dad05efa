using Training.Config;
using Dqn.Update;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace Dqn.Tests.Update;

/// <summary>
/// The explanation of <see cref="QUpdate.Step"/> holds the numbers the formulas give (checked here by hand, in double)
/// and lands on PyTorch's weight; bad batches and configurations are refused with clear messages.
/// </summary>
public class QUpdateTests
{
    [Test]
    public void ExplanationOfAnAdamStepFollowsTheFormulasAndLandsOnPyTorchsWeight()
    {
        var c = ReferenceCase.Load("case00");
        Assert.That(c.Adam && c.Config.Loss == LossKind.Huber && !c.Config.DoubleDqn && c.Steps == 1, "case00: one Huber, Adam, plain DQN step");
        var online = c.OnlineNetwork();
        var target = c.TargetNetwork();
        QUpdateResult result = QUpdate.Step(online, target, c.OptimizerFor(online), c.Batch(), c.Config, explain: true);
        QUpdateExplanation e = result.Explanation!;
        int b = c.BatchSize, n = e.Q.Size(1);

        Assert.That(e.Loss, Is.EqualTo(result.Loss));
        Assert.That(e.Loss, Is.EqualTo(c.Losses[0]).Within(1e-5 * c.Losses[0]));
        Assert.That(e.NextQOnline, Is.Null);
        double huberSum = 0;
        for (int i = 0; i < b; i++)
        {
            Assert.That(e.QTaken.Data[i], Is.EqualTo(e.Q.Data[i * n + c.Actions[i]]), $"Q(s, a) of row {i}");
            float[] nextRow = e.NextQTarget.Data[(i * n)..((i + 1) * n)];
            Assert.That(e.NextValue.Data[i], Is.EqualTo(nextRow.Max()), $"max Q_target(s′, ·) of row {i}");
            Assert.That(nextRow[e.NextActions[i]], Is.EqualTo(nextRow.Max()), $"a* of row {i}");
            double y = c.Rewards[i] + c.Config.Gamma * (1 - c.Dones[i]) * e.NextValue.Data[i];
            Assert.That(e.Y.Data[i], Is.EqualTo(y).Within(1e-6 + 1e-6 * Math.Abs(y)), $"y of row {i}");
            double delta = e.QTaken.Data[i] - y;
            Assert.That(e.TdErrors.Data[i], Is.EqualTo(delta).Within(1e-5), $"δ of row {i}");
            Assert.That(e.LossGradient.Data[i], Is.EqualTo(Math.Clamp(delta, -1, 1) / b).Within(1e-6), $"∂L/∂Q(s, a) of row {i}");
            double ell = Math.Abs(delta) < 1 ? 0.5 * delta * delta : Math.Abs(delta) - 0.5;
            Assert.That(e.SampleLosses.Data[i], Is.EqualTo(ell).Within(1e-5 * (1 + ell)), $"ℓ(δ) of row {i}");
            huberSum += ell;
        }
        Assert.That(e.Loss, Is.EqualTo(huberSum / b).Within(1e-5 * e.Loss));

        Assert.That(e.GradNorms.Select(g => g.Name), Is.EqualTo(new[] { "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias" }));
        Assert.That(e.TotalGradNorm, Is.EqualTo(Math.Sqrt(e.GradNorms.Sum(g => g.Norm * g.Norm))).Within(1e-12));
        Assert.That(e.ClipCoefficient, Is.Null);

        // Adam at t = 1 from zero moments: m = (1 − β₁)·g, v = (1 − β₂)·g², so m̂ = g and v̂ = g²
        WeightStep w = e.Weight;
        AdamView adam = w.Adam!;
        Assert.That(w.Name, Is.EqualTo("0.weight"));
        Assert.That(Math.Abs(w.Grad), Is.EqualTo(online.Parameters()[0].Grad!.Data.Max(Math.Abs)), "the followed weight has the first layer's largest gradient");
        Assert.That(adam.T, Is.EqualTo(1));
        Assert.That(adam.M, Is.EqualTo(0.1 * w.Grad).Within(1e-6 * Math.Abs(w.Grad)));
        Assert.That(adam.V, Is.EqualTo(0.001 * w.Grad * w.Grad).Within(1e-5 * w.Grad * w.Grad));
        Assert.That(adam.MHat, Is.EqualTo(w.Grad).Within(1e-5 * Math.Abs(w.Grad)));
        Assert.That(adam.VHat, Is.EqualTo((double)w.Grad * w.Grad).Within(1e-4 * w.Grad * w.Grad));
        Assert.That(w.Step, Is.EqualTo(c.Lr * w.Grad / (Math.Abs(w.Grad) + 1e-8)).Within(1e-9));
        Assert.That(w.After, Is.EqualTo(w.Before - w.Step!.Value).Within(1e-7));
        float pyTorch = c.Expected[w.Name].Data[w.Index[0] * c.ObservationSize + w.Index[1]];
        Assert.That(Weights.Close(w.After, pyTorch), $"new value {w.After:R}, PyTorch {pyTorch:R}");
    }

    [Test]
    public void ExplanationOfAClippedDoubleDqnSgdStep()
    {
        var c = ReferenceCase.Load("case01");
        Assert.That(!c.Adam && c.Config.DoubleDqn && c.Config.MaxGradNorm is not null && c.Config.Loss == LossKind.Mse, "case01: clipped Double DQN, MSE, SGD");
        var online = c.OnlineNetwork();
        QUpdateExplanation e = QUpdate.Step(online, c.TargetNetwork(), c.OptimizerFor(online), c.Batch(), c.Config, explain: true).Explanation!;
        int b = c.BatchSize, n = e.Q.Size(1);

        for (int i = 0; i < b; i++)
        {
            float[] nextOnline = e.NextQOnline!.Data[(i * n)..((i + 1) * n)];
            Assert.That(nextOnline[e.NextActions[i]], Is.EqualTo(nextOnline.Max()), $"a* = argmax Q_online(s′, ·) of row {i}");
            Assert.That(e.NextValue.Data[i], Is.EqualTo(e.NextQTarget.Data[i * n + e.NextActions[i]]), $"Q_target(s′, a*) of row {i}");
            Assert.That(e.LossGradient.Data[i], Is.EqualTo(2.0 * e.TdErrors.Data[i] / b).Within(1e-6), $"∂L/∂Q(s, a) = 2δ/B of row {i}");
        }
        double maxNorm = c.Config.MaxGradNorm!.Value;
        Assert.That(e.TotalGradNorm, Is.GreaterThan(maxNorm), "this case clips");
        Assert.That(e.ClipCoefficient, Is.EqualTo(maxNorm / (e.TotalGradNorm + 1e-6)).Within(1e-12));
        WeightStep w = e.Weight;
        Assert.That(w.Adam, Is.Null);
        Assert.That(w.Step, Is.EqualTo(c.Lr * w.Grad).Within(1e-12));
        Assert.That(w.After, Is.EqualTo(w.Before - w.Step!.Value).Within(1e-7));
        double clippedNorm = Math.Sqrt(online.Parameters().Sum(p => p.Grad!.Data.Sum(g => (double)g * g)));
        Assert.That(clippedNorm, Is.EqualTo(maxNorm).Within(1e-5), "the optimizer saw gradients of norm max_norm");
    }

    [Test]
    public void BadBatchesAreRefusedWithTheirShapes()
    {
        var rng = new Rng(3);
        var online = Sequential.Mlp(rng, [4, 6, 2]);
        var target = Sequential.Mlp(rng, [4, 6, 2]);
        var optimizer = new SGD(online.Parameters(), 0.1);
        var config = new QUpdateConfig();
        QBatch Batch(int[] actions, int obsWidth = 4, int rewards = 2) => new(
            Torch.Zeros(2, obsWidth), actions, Torch.Zeros(rewards), Torch.Zeros(2, obsWidth), Torch.Zeros(2));
        Assert.Multiple(() =>
        {
            Assert.That(() => QUpdate.Step(online, target, optimizer, Batch([0, 2]), config),
                Throws.ArgumentException.With.Message.EqualTo("actions[1] is 2, but the network has 2 actions (valid: 0..1)."));
            Assert.That(() => QUpdate.Step(online, target, optimizer, Batch([0, -1]), config),
                Throws.ArgumentException.With.Message.Contains("actions[1] is -1"));
            Assert.That(() => QUpdate.Step(online, target, optimizer, Batch([0, 1], obsWidth: 5), config),
                Throws.ArgumentException.With.Message.Contains("obs has shape [2, 5]; expected [2, 4]"));
            Assert.That(() => QUpdate.Step(online, target, optimizer, Batch([0, 1], rewards: 3), config),
                Throws.ArgumentException.With.Message.Contains("rewards has shape [3]; expected [2]"));
            Assert.That(() => QUpdate.Step(online, Sequential.Mlp(rng, [5, 6, 2]), optimizer, Batch([0, 1]), config),
                Throws.ArgumentException.With.Message.Contains("target network maps 5 to 2"));
        });
    }

    [Test]
    public void InvalidConfigurationsAreRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new QUpdateConfig { Gamma = double.NaN }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("gamma must be a finite number"));
            Assert.That(() => new QUpdateConfig { HuberBeta = 0 }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("beta"));
            Assert.That(() => new QUpdateConfig { MaxGradNorm = -1 }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("max_grad_norm"));
            Assert.That(() => new QUpdateConfig { Loss = (LossKind)7 }, Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(new QUpdateConfig { Gamma = -0.5, MaxGradNorm = 0 }.Gamma, Is.EqualTo(-0.5));
        });
    }
}
