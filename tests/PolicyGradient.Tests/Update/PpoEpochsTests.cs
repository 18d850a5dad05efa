using CartPole;
using PolicyGradient.Rollout;
using PolicyGradient.Update;
using TinyTorch;
using TinyTorch.Optim;

namespace PolicyGradient.Tests.Update;

/// <summary>The epoch loop: a fresh seeded permutation per epoch, cut into minibatches, one PPO step each.</summary>
public class PpoEpochsTests
{
    [Test]
    public void ShuffleIsAPermutationAndFreshEachCall()
    {
        var rng = new Rng(61);
        var a = new int[50];
        var b = new int[50];
        PpoEpochs.Shuffle(a, rng);
        PpoEpochs.Shuffle(b, rng);
        Assert.That(a.Order(), Is.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(b.Order(), Is.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(a, Is.Not.EqualTo(b), "a fresh shuffle each epoch");
        Assert.That(a, Is.Not.EqualTo(Enumerable.Range(0, 50)));
    }

    [Test]
    public void ShuffleIsUniformOverPositions()
    {
        // Each of 5 values lands in each of 5 positions with probability 1/5; 20 000 shuffles, ±5σ.
        var rng = new Rng(62);
        var counts = new int[5, 5];
        var p = new int[5];
        for (int s = 0; s < 20_000; s++)
        {
            PpoEpochs.Shuffle(p, rng);
            for (int i = 0; i < 5; i++)
                counts[p[i], i]++;
        }
        double sigma = Math.Sqrt(20_000 * 0.2 * 0.8);
        foreach (int c in counts)
            Assert.That(c, Is.EqualTo(4_000).Within(5 * sigma));
    }

    [Test]
    public void RunEqualsOneStepPerMinibatchOfTheSeededShuffles()
    {
        var buffer = FilledBuffer();
        var config = new PpoLossConfig();
        const int epochs = 3, minibatches = 4;
        Agent agent = Agent.Create(4, 2, new Rng(7), [8]), twin = Agent.Create(4, 2, new Rng(7), [8]);
        var adam = new Adam(agent.Parameters(), lr: 2.5e-4, eps: 1e-5);
        var twinAdam = new Adam(twin.Parameters(), lr: 2.5e-4, eps: 1e-5);

        var (last, epochsRun) = new PpoEpochs(buffer.Size, minibatches, 4).Run(agent, adam, buffer, config, epochs, new Rng(8));
        Assert.That(epochsRun, Is.EqualTo(epochs));

        // The same updates by hand: the same permutations, each minibatch built row by row from the buffer.
        var rng = new Rng(8);
        var order = new int[buffer.Size];
        int m = buffer.Size / minibatches;
        PpoStats twinLast = default;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            PpoEpochs.Shuffle(order, rng);
            for (int start = 0; start < buffer.Size; start += m)
            {
                int[] rows = order[start..(start + m)];
                var batch = new PpoBatch(
                    Torch.FromRows([.. rows.Select(r => buffer.Observations[(r * 4)..(r * 4 + 4)])]),
                    [.. rows.Select(r => buffer.Actions[r])],
                    Torch.FromArray([.. rows.Select(r => buffer.LogProbs[r])]),
                    Torch.FromArray([.. rows.Select(r => buffer.Advantages[r])]),
                    Torch.FromArray([.. rows.Select(r => buffer.Returns[r])]),
                    Torch.FromArray([.. rows.Select(r => buffer.Values[r])]));
                twinLast = PpoUpdate.Step(twin, twinAdam, batch, config).Stats;
            }
        }
        Assert.That(adam.StepCount, Is.EqualTo(epochs * minibatches));
        Assert.That(last, Is.EqualTo(twinLast));
        foreach (var (key, value) in twin.StateDict())
            Assert.That(agent.StateDict()[key].Data, Is.EqualTo(value.Data), key);
    }

    [Test]
    public void TargetKlStopsAfterTheEpochThatExceedsIt()
    {
        var buffer = FilledBuffer();
        Agent agent = Agent.Create(4, 2, new Rng(7), [8]);
        // A large step makes the policy move: approx_kl > 0 after the first epoch, so a tiny target stops there.
        var adam = new Adam(agent.Parameters(), lr: 0.05, eps: 1e-5);
        var (last, epochsRun) = new PpoEpochs(buffer.Size, 2, 4).Run(agent, adam, buffer, new PpoLossConfig(), 4, new Rng(8), targetKl: 1e-9);
        Assert.That(last.ApproxKl, Is.GreaterThan(1e-9));
        Assert.That(epochsRun, Is.EqualTo(1));
        Assert.That(adam.StepCount, Is.EqualTo(2), "one epoch of two minibatches");
    }

    [Test]
    public void RejectsMinibatchesThatDoNotDivideTheBatch() =>
        Assert.That(() => new PpoEpochs(10, 4, 4), Throws.ArgumentException.With.Message.Contains("4 minibatches do not divide a batch of 10 rows"));

    [Test]
    public void RejectsABufferOfAnotherSize() =>
        Assert.That(() => new PpoEpochs(8, 2, 4).Run(Agent.Create(4, 2, new Rng(1), [4]), new Adam([Torch.Zeros(1).RequiresGrad_()]), FilledBuffer(), new PpoLossConfig(), 1, new Rng(1)),
            Throws.ArgumentException.With.Message.Contains("got a rollout of 64 rows"));

    /// <summary>A real CartPole rollout of 16 steps × 4 envs with its advantages computed.</summary>
    private static RolloutBuffer FilledBuffer()
    {
        var collector = new RolloutCollector(new CartPoleVectorEnv(4, null, AutoresetMode.SameStep), new Rng(9));
        collector.Reset(10);
        var buffer = new RolloutBuffer(16, 4, 4);
        collector.Collect(Agent.Create(4, 2, new Rng(11), [8]), buffer);
        buffer.ComputeAdvantages(0.99f, 0.95f, bootstrapTruncation: true);
        return buffer;
    }
}
