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
    public void RejectsLogitsThatAreNotAMatrix() =>
        Assert.That(() => new Categorical(Torch.Zeros(3)), Throws.ArgumentException.With.Message.Contains("logits [B, A]"));

    [Test]
    public void RejectsAnActionOutOfRange() =>
        Assert.That(() => new Categorical(Torch.Zeros(2, 2)).LogProb([0, 2]), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
