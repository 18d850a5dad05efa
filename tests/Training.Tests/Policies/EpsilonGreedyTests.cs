using Training.Policies;
using TinyTorch;

namespace Training.Tests.Policies;

public class EpsilonGreedyTests
{
    [Test]
    public void ArgmaxTakesTheFirstOfTiedMaxima()
    {
        Assert.That(EpsilonGreedy.Argmax([1f, 3f, 3f, 2f]), Is.EqualTo(1));
        Assert.That(EpsilonGreedy.Argmax([0f, 0f]), Is.EqualTo(0));
        Assert.That(EpsilonGreedy.Argmax([-5f, -1f, -2f]), Is.EqualTo(1));
        Assert.That(() => EpsilonGreedy.Argmax([]), Throws.ArgumentException);
    }

    [Test]
    public void ExploresWithProbabilityEpsilonAndUniformly()
    {
        var rng = new Rng(12);
        const int n = 100_000;
        int explored = 0;
        var counts = new int[3];
        for (int i = 0; i < n; i++)
        {
            if (EpsilonGreedy.TryExplore(0.3, 3, rng, out int action))
            {
                explored++;
                counts[action]++;
            }
        }
        // Binomial(100000, 0.3): sd ≈ 145, so ±1000 is about 7 sd.
        Assert.That(explored, Is.EqualTo(30_000).Within(1000));
        foreach (int c in counts)
            Assert.That(c, Is.EqualTo(explored / 3).Within(700));
    }

    [Test]
    public void EpsilonZeroNeverAndOneAlwaysExplores()
    {
        var rng = new Rng(1);
        for (int i = 0; i < 1000; i++)
        {
            Assert.That(EpsilonGreedy.TryExplore(0, 2, rng, out _), Is.False);
            Assert.That(EpsilonGreedy.TryExplore(1, 2, rng, out _), Is.True);
        }
    }
}
