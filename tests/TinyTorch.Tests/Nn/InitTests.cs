using TinyTorch.Nn;

namespace TinyTorch.Tests.Nn;

/// <summary>orthogonal_ and constant_: the defining property checked in double, for tall, wide and square shapes.</summary>
public class InitTests
{
    [TestCase(64, 4, 1.4142135623730951)]
    [TestCase(4, 64, 1.0)]
    [TestCase(64, 64, 1.4142135623730951)]
    [TestCase(2, 64, 0.01)]
    [TestCase(1, 64, 1.0)]
    [TestCase(7, 7, 0.5)]
    public void OrthogonalHasOrthonormalRowsOrColumnsTimesGain(int rows, int cols, double gain)
    {
        Tensor w = Init.Orthogonal_(Torch.Zeros(rows, cols), new Rng(41), gain);
        // W·Wᵀ = gain²·I for wide (rows ≤ cols), Wᵀ·W = gain²·I for tall
        bool wide = rows <= cols;
        int k = wide ? rows : cols, n = wide ? cols : rows;
        for (int a = 0; a < k; a++)
        {
            for (int b = 0; b < k; b++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++)
                    dot += wide ? (double)w[a, i] * w[b, i] : (double)w[i, a] * w[i, b];
                Assert.That(dot, Is.EqualTo(a == b ? gain * gain : 0).Within(1e-5 * Math.Max(1, gain * gain)), $"({a}, {b})");
            }
        }
    }

    [Test]
    public void OrthogonalIsDeterministicPerSeedAndDiffersAcrossSeeds()
    {
        float[] a = Init.Orthogonal_(Torch.Zeros(8, 4), new Rng(1)).Data;
        Assert.That(Init.Orthogonal_(Torch.Zeros(8, 4), new Rng(1)).Data, Is.EqualTo(a));
        Assert.That(Init.Orthogonal_(Torch.Zeros(8, 4), new Rng(2)).Data, Is.Not.EqualTo(a));
    }

    [Test]
    public void OrthogonalFirstColumnIsTheNormalisedGaussianDraw()
    {
        // The sign fix (diag R > 0) makes q₁ = g₁/‖g₁‖ exactly, with the draw g in row-major [rows, cols] order.
        var rng = new Rng(3);
        var g = new double[5 * 3];
        for (int i = 0; i < g.Length; i++)
            g[i] = rng.NextNormal();
        double norm = Math.Sqrt(Enumerable.Range(0, 5).Sum(r => g[r * 3] * g[r * 3]));
        Tensor w = Init.Orthogonal_(Torch.Zeros(5, 3), new Rng(3));
        for (int r = 0; r < 5; r++)
            Assert.That(w[r, 0], Is.EqualTo(g[r * 3] / norm).Within(1e-6));
    }

    [Test]
    public void OrthogonalRejectsAVector() =>
        Assert.That(() => Init.Orthogonal_(Torch.Zeros(3), new Rng(1)), Throws.ArgumentException.With.Message.Contains("2 or more dimensions"));

    [Test]
    public void ConstantFillsEveryElement() =>
        Assert.That(Init.Constant_(Torch.Ones(3, 2), 0f).Data, Has.All.EqualTo(0f));

    [Test]
    public void TanhModuleAddsNoStateDictKeysSoSequentialNumbersAsPyTorch()
    {
        var rng = new Rng(5);
        var net = new Sequential(new Linear(4, 8, rng), new Tanh(), new Linear(8, 8, rng), new Tanh(), new Linear(8, 2, rng));
        Assert.That(net.StateDict().Keys, Is.EqualTo(new[] { "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias" }));
        Tensor x = Torch.Randn(rng, 3, 4);
        Tensor expected = ((Linear)net[4]).Forward(((Linear)net[2]).Forward(((Linear)net[0]).Forward(x).Tanh()).Tanh());
        Assert.That(net.Forward(x).Data, Is.EqualTo(expected.Data));
    }
}
