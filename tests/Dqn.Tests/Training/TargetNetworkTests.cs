using Dqn.Training;
using TinyTorch;
using TinyTorch.Nn;
using Training.Runs;

namespace Dqn.Tests.Training;

public class TargetNetworkTests
{
    private static Sequential Net(params float[] weights)
    {
        // A Linear(1 → n) whose weight column is `weights` and whose bias is 0.
        var net = Sequential.Mlp(new Rng(0), [1, weights.Length]);
        weights.CopyTo(((Linear)net[0]).Weight.Data, 0);
        Array.Clear(((Linear)net[0]).Bias!.Data);
        return net;
    }

    [Test]
    public void PolyakAveragesOnKnownNumbers()
    {
        var online = Net(1f, 2f, -4f);
        var target = Net(3f, 5f, 8f);
        TargetNetwork.Update(online, target, tau: 0.25);
        // θ′ = 0.25·θ + 0.75·θ′: 0.25 + 2.25, 0.5 + 3.75, −1 + 6 (all exact in float32)
        Assert.That(((Linear)target[0]).Weight.Data, Is.EqualTo(new[] { 2.5f, 4.25f, 5f }));
        Assert.That(((Linear)online[0]).Weight.Data, Is.EqualTo(new[] { 1f, 2f, -4f }), "the online network is only read");
    }

    [Test]
    public void PolyakRoundsLikePyTorchsTwoProductsAndASum()
    {
        // PyTorch: target.copy_(tau * q + (1.0 - tau) * target) in float32, i.e. fl(fl(τθ) + fl((1−τ)θ′)), no fused multiply-add.
        var rng = new Rng(5);
        var a = new float[257];
        var b = new float[257];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)rng.Uniform(-3, 3);
            b[i] = (float)rng.Uniform(-3, 3);
        }
        var online = Net(a);
        var target = Net(b);
        const double tau = 0.005;
        TargetNetwork.Update(online, target, tau);
        var expected = new float[a.Length];
        for (int i = 0; i < a.Length; i++)
            expected[i] = (float)tau * a[i] + (float)(1 - tau) * b[i];
        Assert.That(((Linear)target[0]).Weight.Data, Is.EqualTo(expected));
    }

    [Test]
    public void TauOneIsAnExactCopy()
    {
        var online = Net(0.1f, -7.3e-12f, 1e30f);
        var target = Net(float.NaN, 1f, 2f);
        TargetNetwork.Update(online, target, tau: 1);
        Assert.That(((Linear)target[0]).Weight.Data, Is.EqualTo(new[] { 0.1f, -7.3e-12f, 1e30f }), "even a NaN target is overwritten");
    }

    [TestCase(0.0)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void TauOutsideTheRangeIsRefused(double tau)
    {
        Assert.That(() => TargetNetwork.Update(Net(1f), Net(2f), tau), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void DifferentLayoutsAreRefused()
    {
        Assert.That(() => TargetNetwork.Update(Net(1f, 2f), Net(1f), 1), Throws.ArgumentException.With.Message.Contains("2 values"));
    }

    [Test]
    public void TheTrainerCopiesHardOnExactlyEveryCthStep()
    {
        const int c = 5;
        var config = TrainerFixtures.Small() with { Tau = 1, TargetNetworkFrequency = c, LearningStarts = 10 };
        var trainer = TrainerFixtures.CartPoleTrainer(config);
        var initial = TrainerFixtures.Bits(trainer.QNetwork);

        // Updates start after step 10; copies happen at steps 15, 20, … (step > learning_starts and step % C == 0).
        trainer.PauseAtStep = 14;
        trainer.Train();
        Assert.That(TrainerFixtures.Bits(trainer.TargetQNetwork), Is.EqualTo(initial), "no copy before step 15");
        Assert.That(TrainerFixtures.Bits(trainer.QNetwork), Is.Not.EqualTo(initial), "four updates moved the online network");

        trainer.PauseAtStep = 15;
        trainer.Train();
        var atCopy = TrainerFixtures.Bits(trainer.QNetwork);
        Assert.That(TrainerFixtures.Bits(trainer.TargetQNetwork), Is.EqualTo(atCopy), "θ′ ← θ at step 15");

        trainer.PauseAtStep = 19;
        trainer.Train();
        Assert.That(TrainerFixtures.Bits(trainer.TargetQNetwork), Is.EqualTo(atCopy), "θ′ stays until step 20");
        Assert.That(TrainerFixtures.Bits(trainer.QNetwork), Is.Not.EqualTo(atCopy));

        trainer.PauseAtStep = 20;
        trainer.Train();
        Assert.That(TrainerFixtures.Bits(trainer.TargetQNetwork), Is.EqualTo(TrainerFixtures.Bits(trainer.QNetwork)));
    }

    [Test]
    public void TheTrainerAveragesEveryStepWithPolyakTau()
    {
        var config = TrainerFixtures.Small() with { Tau = 0.1, TargetNetworkFrequency = 1, LearningStarts = 10 };
        var trainer = TrainerFixtures.CartPoleTrainer(config);
        trainer.PauseAtStep = 30;
        trainer.Train();
        var targetBefore = TrainerFixtures.Clone(trainer.TargetQNetwork);

        trainer.PauseAtStep = 31;
        trainer.Train();
        // θ′₃₁ = 0.1·θ₃₁ + 0.9·θ′₃₀, with θ₃₁ the online weights after step 31's update.
        var online = trainer.QNetwork.Parameters();
        var before = targetBefore.Parameters();
        var after = trainer.TargetQNetwork.Parameters();
        for (int p = 0; p < online.Count; p++)
        {
            var expected = new float[online[p].Count];
            for (int i = 0; i < expected.Length; i++)
                expected[i] = 0.1f * online[p].Data[i] + (float)(1 - 0.1) * before[p].Data[i];
            Assert.That(after[p].Data, Is.EqualTo(expected), $"parameter {p}");
        }
    }
}
