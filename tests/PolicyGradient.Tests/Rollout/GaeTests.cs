using PolicyGradient.Rollout;
using TinyTorch;

namespace PolicyGradient.Tests.Rollout;

/// <summary>
/// GAE against two independent references in double precision: the definition as a finite sum over each episode
/// segment, Âₜ = Σₖ (γλ)ᵏ δₜ₊ₖ, and CleanRL ppo.py's backward recursion written out literally.
/// </summary>
public class GaeTests
{
    [Test]
    public void HandWorkedFiveStepsWithATruncationAndATermination()
    {
        // One env, γ = 0.5, λ = 0.5: steps 0-1 an episode cut by the time limit at step 1 (final observation worth 10),
        // steps 2-3 an episode that falls at step 3, step 4 still running (V(s₅) = 8).
        float[] r = [1, 1, 1, 1, 1], v = [2, 4, 6, 3, 5];
        bool[] terminated = [false, false, false, true, false], truncated = [false, true, false, false, false];
        float[] final = [0, 10, 0, 0, 0];
        var a = new float[5];
        var ret = new float[5];
        Gae.Compute(r, v, terminated, truncated, final, [8f], 0.5f, 0.5f, bootstrapTruncation: true, a, ret);
        // δ₄ = 1 + 0.5·8 − 5 = 0                                    Â₄ = 0
        // δ₃ = 1 − 3 = −2 (terminal)                                Â₃ = −2
        // δ₂ = 1 + 0.5·3 − 6 = −3.5                                 Â₂ = −3.5 + 0.25·(−2) = −4
        // δ₁ = 1 + 0.5·10 − 4 = 2 (truncated: final obs bootstrap)  Â₁ = 2
        // δ₀ = 1 + 0.5·4 − 2 = 1                                    Â₀ = 1 + 0.25·2 = 1.5
        Assert.That(a, Is.EqualTo(new[] { 1.5f, 2f, -4f, -2f, 0f }));
        Assert.That(ret, Is.EqualTo(new[] { 3.5f, 6f, 2f, 1f, 5f }));

        // CleanRL's treatment: truncation as termination, δ₁ = 1 − 4 = −3, Â₀ = 1 + 0.25·(−3) = 0.25
        Gae.Compute(r, v, terminated, truncated, final, [8f], 0.5f, 0.5f, bootstrapTruncation: false, a, ret);
        Assert.That(a, Is.EqualTo(new[] { 0.25f, -3f, -4f, -2f, 0f }));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void MatchesTheSumOverEachEpisodeSegment(bool bootstrapTruncation)
    {
        var (rollout, t, n) = RandomRollout(new Rng(51));
        const double gamma = 0.97, lambda = 0.9;
        var a = new float[t * n];
        var ret = new float[t * n];
        Gae.Compute(rollout.Rewards, rollout.Values, rollout.Terminated, rollout.Truncated, rollout.Final, rollout.Next,
            (float)gamma, (float)lambda, bootstrapTruncation, a, ret);

        for (int i = 0; i < n; i++)
        {
            for (int s = 0; s < t; s++)
            {
                // Âₛ = Σₖ (γλ)ᵏ δₛ₊ₖ until the episode's end or the rollout's
                double sum = 0, weight = 1;
                for (int u = s; u < t; u++)
                {
                    int k = u * n + i;
                    double next = rollout.Terminated[k] ? 0
                        : rollout.Truncated[k] ? (bootstrapTruncation ? rollout.Final[k] : 0)
                        : u + 1 < t ? rollout.Values[k + n] : rollout.Next[i];
                    sum += weight * (rollout.Rewards[k] + gamma * next - rollout.Values[k]);
                    if (rollout.Terminated[k] || rollout.Truncated[k])
                        break;
                    weight *= gamma * lambda;
                }
                int row = s * n + i;
                Assert.That(a[row], Is.EqualTo(sum).Within(1e-4 + 1e-5 * Math.Abs(sum)), $"Â[{s}, {i}]");
                Assert.That(ret[row], Is.EqualTo(sum + rollout.Values[row]).Within(1e-4 + 1e-5 * Math.Abs(sum)), $"R[{s}, {i}]");
            }
        }
    }

    [Test]
    public void WithoutTruncationBootstrapItIsCleanRlsRecursion()
    {
        var (rollout, t, n) = RandomRollout(new Rng(52));
        const float gamma = 0.99f, lambda = 0.95f;
        var a = new float[t * n];
        Gae.Compute(rollout.Rewards, rollout.Values, rollout.Terminated, rollout.Truncated, rollout.Final, rollout.Next,
            gamma, lambda, bootstrapTruncation: false, a, new float[t * n]);

        // CleanRL: dones[t] is next_done before step t, i.e. done at step t − 1; next_done after the last step.
        for (int i = 0; i < n; i++)
        {
            double lastGaeLam = 0;
            for (int s = t - 1; s >= 0; s--)
            {
                int k = s * n + i;
                bool doneHere = rollout.Terminated[k] || rollout.Truncated[k];
                double nextNonTerminal = doneHere ? 0 : 1;
                double nextValues = s == t - 1 ? rollout.Next[i] : rollout.Values[k + n];
                double delta = rollout.Rewards[k] + gamma * nextValues * nextNonTerminal - rollout.Values[k];
                lastGaeLam = delta + gamma * lambda * nextNonTerminal * lastGaeLam;
                Assert.That(a[k], Is.EqualTo(lastGaeLam).Within(1e-4 + 1e-5 * Math.Abs(lastGaeLam)), $"Â[{s}, {i}]");
            }
        }
    }

    [Test]
    public void RejectsSpansOfTheWrongLength() =>
        Assert.That(() => Gae.Compute(new float[6], new float[5], new bool[6], new bool[6], new float[6], new float[2], 0.9f, 0.9f, true, new float[6], new float[6]),
            Throws.ArgumentException.With.Message.Contains("values has 5 elements; expected 6"));

    private sealed record Rollout(float[] Rewards, float[] Values, bool[] Terminated, bool[] Truncated, float[] Final, float[] Next);

    /// <summary>T = 40 steps of N = 3 envs with random rewards and values, about one episode end in 8 steps of each kind.</summary>
    private static (Rollout Rollout, int T, int N) RandomRollout(Rng rng)
    {
        const int t = 40, n = 3;
        var rollout = new Rollout(new float[t * n], new float[t * n], new bool[t * n], new bool[t * n], new float[t * n], new float[n]);
        for (int k = 0; k < t * n; k++)
        {
            rollout.Rewards[k] = (float)rng.Uniform(-1, 2);
            rollout.Values[k] = (float)rng.Uniform(-3, 10);
            double u = rng.NextDouble();
            rollout.Terminated[k] = u < 0.12;
            rollout.Truncated[k] = u is > 0.1 and < 0.22;  // sometimes both, as when the pole falls on the last allowed step
            rollout.Final[k] = rollout.Truncated[k] ? (float)rng.Uniform(0, 20) : float.NaN;  // NaN where it must not be read
        }
        for (int i = 0; i < n; i++)
            rollout.Next[i] = (float)rng.Uniform(0, 10);
        return (rollout, t, n);
    }
}
