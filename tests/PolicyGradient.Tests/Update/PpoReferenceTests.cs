using PolicyGradient.Update;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Optim;

namespace PolicyGradient.Tests.Update;

/// <summary>
/// <see cref="PpoUpdate.Step"/> against PyTorch 1.13 running CleanRL's update (tests/data/reference/ppo): every step's
/// statistics and the agent afterwards within 1e-5 + 1e-4·|expected|.
/// </summary>
public class PpoReferenceTests
{
    private static IEnumerable<string> Cases() => PpoReferenceCase.Names();

    [TestCaseSource(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        PpoReferenceCase c = PpoReferenceCase.Load(name);
        Agent agent = Agent.Load(c.PathOf("weights.safetensors"));
        var adam = new Adam(agent.Parameters(), lr: c.Lr, eps: c.AdamEps);
        PpoBatch batch = c.Batch();
        Assert.That(c.StepsStats, Has.Length.EqualTo(c.Steps));

        for (int step = 0; step < c.Steps; step++)
            PpoReferenceCase.AssertStats(PpoUpdate.Step(agent, adam, batch, c.Config).Stats, c.StepsStats[step], $"step {step + 1}");

        var expected = Safetensors.LoadStateDict(c.PathOf("expected.safetensors"));
        var actual = agent.StateDict();
        Assert.That(actual.Keys.Order(StringComparer.Ordinal), Is.EqualTo(expected.Keys.Order(StringComparer.Ordinal)), "CleanRL's Agent keys");
        foreach (var (key, want) in expected)
            for (int i = 0; i < want.Count; i++)
                PpoReferenceCase.AssertClose(actual[key].Data[i], want.Data[i], $"{key}[{i}]");
    }

    [TestCaseSource(nameof(Cases))]
    public void TheUpdateMovesTheWeightsMeasurably(string name)
    {
        // Guards the test above against a tolerance that would accept no update at all.
        PpoReferenceCase c = PpoReferenceCase.Load(name);
        var before = Safetensors.LoadStateDict(c.PathOf("weights.safetensors"));
        var after = Safetensors.LoadStateDict(c.PathOf("expected.safetensors"));
        double moved = before.Keys.Max(k => before[k].Data.Zip(after[k].Data, (x, y) => Math.Abs(x - y) / (1e-5 + 1e-4 * Math.Abs(y))).Max());
        Assert.That(moved, Is.GreaterThan(3), "the largest change is several tolerances wide");
    }

    [Test]
    public void ExplainDoesNotChangeTheUpdate()
    {
        PpoReferenceCase c = PpoReferenceCase.Load("case00");
        Agent plain = Agent.Load(c.PathOf("weights.safetensors")), explained = Agent.Load(c.PathOf("weights.safetensors"));
        PpoStats a = PpoUpdate.Step(plain, new Adam(plain.Parameters(), c.Lr, eps: c.AdamEps), c.Batch(), c.Config).Stats;
        PpoUpdateResult b = PpoUpdate.Step(explained, new Adam(explained.Parameters(), c.Lr, eps: c.AdamEps), c.Batch(), c.Config, explain: true);
        Assert.That(b.Stats, Is.EqualTo(a));
        foreach (var (key, value) in plain.StateDict())
            Assert.That(explained.StateDict()[key].Data, Is.EqualTo(value.Data), key);
        PpoExplanation e = b.Explanation!;
        Assert.That(e.Weight, Is.Not.Null);
        Assert.That(e.Weight!.After, Is.EqualTo(e.Weight.Before - e.Weight.Step).Within(1e-6 + 1e-5 * Math.Abs(e.Weight.After)), "θ′ = θ − lr·m̂/(√v̂ + ε)");
        Assert.That(e.GradNorms.Select(g => g.Name), Is.EqualTo(plain.StateDict().Keys));
    }
}
