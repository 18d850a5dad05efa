using TinyTorch.Distributions;
using TinyTorch.Tests.Autograd;

namespace TinyTorch.Tests.Distributions;

/// <summary>Categorical log-probabilities and entropy against their definitions in double, and their gradients against finite differences.</summary>
public class CategoricalTests
{
    [Test]
    public void LogProbAndEntropyMatchTheDefinitionInDouble()
    {
        Tensor logits = Torch.Randn(new Rng(31), 7, 3).Mul(2f);
        int[] actions = TestInputs.Indices(new Rng(32), 7, 3);
        var dist = new Categorical(logits);
        Tensor logProb = dist.LogProb(actions), entropy = dist.Entropy();
        for (int r = 0; r < 7; r++)
        {
            double[] z = [.. Enumerable.Range(0, 3).Select(c => (double)logits[r, c])];
            double logSum = Math.Log(z.Sum(Math.Exp));
            double expectedEntropy = -z.Sum(v => Math.Exp(v - logSum) * (v - logSum));
            Assert.That(logProb.Data[r], Is.EqualTo(z[actions[r]] - logSum).Within(1e-5));
            Assert.That(entropy.Data[r], Is.EqualTo(expectedEntropy).Within(1e-5));
        }
    }

    [Test]
    public void UniformLogitsHaveEntropyLogA() =>
        Assert.That(new Categorical(Torch.Zeros(2, 5)).Entropy().Data, Has.All.EqualTo(MathF.Log(5)).Within(1e-6));

    [Test]
    public void LogProbGradCheck()
    {
        int[] actions = TestInputs.Indices(new Rng(33), 5, 4);
        TestInputs.Check(x => new Categorical(x[0]).LogProb(actions), TestInputs.Randn(new Rng(34), 5, 4));
    }

    [Test]
    public void EntropyGradCheck() =>
        TestInputs.Check(x => new Categorical(x[0]).Entropy(), TestInputs.Randn(new Rng(35), 5, 4));

    [Test]
    public void SampleFrequenciesMatchTheProbabilities()
    {
        // 3 rows with different distributions, 20 000 draws each; every frequency within 5σ of its probability.
        Tensor logits = Torch.FromRows([[0f, 1f, 2f], [3f, -1f, 0f], [0f, 0f, 0f]]);
        var dist = new Categorical(logits);
        var rng = new Rng(36);
        var counts = new int[3, 3];
        var actions = new int[3];
        const int draws = 20_000;
        for (int s = 0; s < draws; s++)
        {
            dist.Sample(rng, actions);
            for (int r = 0; r < 3; r++)
                counts[r, actions[r]]++;
        }
        for (int r = 0; r < 3; r++)
        {
            double[] z = [logits[r, 0], logits[r, 1], logits[r, 2]];
            double total = z.Sum(Math.Exp);
            for (int a = 0; a < 3; a++)
            {
                double p = Math.Exp(z[a]) / total;
                Assert.That(counts[r, a], Is.EqualTo(draws * p).Within(5 * Math.Sqrt(draws * p * (1 - p)) + 1), $"row {r}, action {a}");
            }
        }
    }

    [Test]
    public void RejectsLogitsThatAreNotAMatrix() =>
        Assert.That(() => new Categorical(Torch.Zeros(3)), Throws.ArgumentException.With.Message.Contains("logits [B, A]"));

    [Test]
    public void RejectsAnActionOutOfRange() =>
        Assert.That(() => new Categorical(Torch.Zeros(2, 2)).LogProb([0, 2]), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
