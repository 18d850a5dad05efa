using Dqn.Update;

namespace Dqn.Tests.Update;

/// <summary>
/// Both Q-updates replay the DQN updates recorded from PyTorch 1.13 (tests/data/reference/qupdate, with the batch's
/// discounts and weights when it has them): loss at each step within 1e-5 relative, and every weight of the updated online network within 1e-5 + 1e-4·|expected|.
/// </summary>
public class PyTorchReferenceTests
{
    private static IEnumerable<string> Cases() => ReferenceCase.Names();

    [Test]
    public void TheReferenceDataHasItsFourCases()
    {
        Assert.That(Cases(), Is.SupersetOf(new[] { "case00", "case01", "case02", "case03" }));
        var c = ReferenceCase.Load("case03");
        Assert.That(c.Discounts is not null && c.SampleWeights is not null, "case03 has per-transition discounts and weights");
    }

    [TestCaseSource(nameof(Cases))]
    public void TeachingUpdateMatchesPyTorch(string name)
    {
        var c = ReferenceCase.Load(name);
        var online = c.OnlineNetwork();
        var target = c.TargetNetwork();
        var optimizer = c.OptimizerFor(online);
        var batch = c.Batch();
        for (int step = 0; step < c.Steps; step++)
        {
            float loss = QUpdate.Step(online, target, optimizer, batch, c.Config).Loss;
            Assert.That(loss, Is.EqualTo(c.Losses[step]).Within(1e-5 * Math.Abs(c.Losses[step])), $"{name}: loss at step {step + 1}");
        }
        Assert.That(Weights.LargestChange(c.Weights, online), Is.GreaterThan(1e-3), "the update moves the weights well beyond the tolerance");
        Weights.AssertClose(online, c.Expected, name);
    }

    [TestCaseSource(nameof(Cases))]
    public void FastUpdateMatchesPyTorch(string name)
    {
        var c = ReferenceCase.Load(name);
        var online = c.OnlineNetwork();
        var update = new FastQUpdate(online, c.TargetNetwork(), c.OptimizerFor(online), c.Config);
        for (int step = 0; step < c.Steps; step++)
        {
            float loss = update.Step(c.Observations, c.Actions, c.Rewards, c.NextObservations, c.Dones, c.Discounts, c.SampleWeights);
            Assert.That(loss, Is.EqualTo(c.Losses[step]).Within(1e-5 * Math.Abs(c.Losses[step])), $"{name}: loss at step {step + 1}");
        }
        Assert.That(Weights.LargestChange(c.Weights, online), Is.GreaterThan(1e-3), "the update moves the weights well beyond the tolerance");
        Weights.AssertClose(online, c.Expected, name);
    }
}
