using TinyTorch;
using TinyTorch.Nn;

namespace TinyTorch.Tests.Nn;

public class LinearTests
{
    [Test]
    public void InitIsUniformWithinOneOverSqrtFanIn()
    {
        var layer = new Linear(100, 50, new Rng(1));
        const double bound = 0.1; // 1/√100
        float[] w = layer.Weight.Data, b = layer.Bias!.Data;
        double sum = 0, sumSq = 0, maxAbs = 0;
        foreach (float v in w)
        {
            Assert.That(Math.Abs(v), Is.LessThanOrEqualTo(bound));
            sum += v;
            sumSq += (double)v * v;
            maxAbs = Math.Max(maxAbs, Math.Abs(v));
        }
        foreach (float v in b)
            Assert.That(Math.Abs(v), Is.LessThanOrEqualTo(bound));
        Assert.Multiple(() =>
        {
            // U(−a, a): mean 0, variance a²/3; 5000 draws reach close to the bound
            Assert.That(sum / w.Length, Is.EqualTo(0).Within(0.004));
            Assert.That(sumSq / w.Length, Is.EqualTo(bound * bound / 3).Within(0.0003));
            Assert.That(maxAbs, Is.GreaterThan(0.099));
            Assert.That(b.Max() - b.Min(), Is.GreaterThan(0.1), "the bias spreads over the interval too");
        });
    }

    [Test]
    public void InitDrawsTheWeightThenTheBiasFromTheGivenRng()
    {
        var layer = new Linear(3, 2, new Rng(9));
        var rng = new Rng(9);
        float bound = (float)(1 / Math.Sqrt(3));
        Tensor w = Torch.Uniform(rng, -bound, bound, 2, 3);
        Tensor b = Torch.Uniform(rng, -bound, bound, 2);
        Assert.That(layer.Weight.Data, Is.EqualTo(w.Data));
        Assert.That(layer.Bias!.Data, Is.EqualTo(b.Data));
    }

    [Test]
    public void SameSeedGivesSameWeightsAndOtherSeedsDiffer()
    {
        var a = new Linear(4, 8, new Rng(7));
        var b = new Linear(4, 8, new Rng(7));
        var c = new Linear(4, 8, new Rng(8));
        Assert.That(a.Weight.Data, Is.EqualTo(b.Weight.Data));
        Assert.That(a.Bias!.Data, Is.EqualTo(b.Bias!.Data));
        Assert.That(a.Weight.Data, Is.Not.EqualTo(c.Weight.Data));
    }

    [Test]
    public void ParametersRequireGradAndAreNamedAsInPyTorch()
    {
        var layer = new Linear(4, 3, new Rng(1));
        var named = layer.NamedParameters().ToList();
        Assert.That(named.Select(p => p.Name), Is.EqualTo(new[] { "weight", "bias" }));
        Assert.That(named[0].Parameter.Shape.ToArray(), Is.EqualTo(new[] { 3, 4 }));
        Assert.That(named[1].Parameter.Shape.ToArray(), Is.EqualTo(new[] { 3 }));
        Assert.That(named.All(p => p.Parameter.RequiresGrad), Is.True);
        Assert.That(layer.ToString(), Is.EqualTo("Linear(in_features=4, out_features=3, bias=True)"));
    }

    [Test]
    public void WithoutBiasThereIsNoBiasParameter()
    {
        var layer = new Linear(4, 3, new Rng(1), bias: false);
        Assert.That(layer.Bias, Is.Null);
        Assert.That(layer.StateDict().Keys, Is.EqualTo(new[] { "weight" }));
        Tensor x = Torch.Ones(2, 4);
        Tensor y = layer.Forward(x);
        for (int j = 0; j < 3; j++)
            Assert.That(y[1, j], Is.EqualTo(layer.Weight.Data.Skip(4 * j).Take(4).Sum()).Within(1e-6));
    }

    [Test]
    public void BadSizesAreRejectedWithTheirValue()
    {
        Assert.That(() => new Linear(0, 3, new Rng(1)), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("inFeatures").And.Message.Contains('0'));
        Assert.That(() => new Linear(3, -2, new Rng(1)), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("-2"));
    }
}
