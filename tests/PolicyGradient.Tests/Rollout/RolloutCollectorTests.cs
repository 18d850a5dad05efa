using CartPole;
using PolicyGradient.Rollout;
using TinyTorch;

namespace PolicyGradient.Tests.Rollout;

/// <summary>
/// A rollout on the vector env replayed on scalar <see cref="CartPoleEnv"/>s (bit for bit the same sub-environments):
/// observations, rewards and flags must be theirs, log-probabilities and values the agent's, and at a time limit the
/// recorded bootstrap value must be the critic's value of the episode's true final observation, not of the next
/// episode's first one. GAE with and without that bootstrap then differs exactly there.
/// </summary>
public class RolloutCollectorTests
{
    private const int T = 48, N = 3, Limit = 20;
    private const ulong Seed = 11;

    [Test]
    public void RecordsWhatScalarEnvsReplayAndTheCriticOfTheTrueFinalObservation()
    {
        var (agent, buffer) = Collect();
        int truncations = 0, terminations = 0;
        for (int i = 0; i < N; i++)
        {
            var env = new CartPoleEnv(new CartPoleOptions { MaxEpisodeSteps = Limit });
            var obs = new float[4];
            env.Reset(obs, CartPoleVectorEnv.SubEnvSeed(Seed, i));
            for (int t = 0; t < T; t++)
            {
                int k = t * N + i;
                Assert.That(buffer.Observations.AsSpan(k * 4, 4).ToArray(), Is.EqualTo(obs), $"s[{t}, {i}]");
                Tensor s = Torch.FromArray(obs, 1, 4);
                using (Torch.NoGrad())
                {
                    Assert.That(buffer.LogProbs[k], Is.EqualTo(agent.GetPolicy(s).LogProb([buffer.Actions[k]]).Item()).Within(1e-6), $"log π[{t}, {i}]");
                    Assert.That(buffer.Values[k], Is.EqualTo(agent.GetValue(s).Item()).Within(1e-5), $"V[{t}, {i}]");
                }
                StepResult step = env.Step(buffer.Actions[k], obs);
                Assert.That((buffer.Rewards[k], buffer.Terminated[k], buffer.Truncated[k]), Is.EqualTo((step.Reward, step.Terminated, step.Truncated)), $"step [{t}, {i}]");
                if (step.Truncated && !step.Terminated)
                {
                    truncations++;
                    Assert.That(env.ElapsedSteps, Is.EqualTo(Limit));
                    float finalValue;
                    using (Torch.NoGrad())
                        finalValue = agent.GetValue(Torch.FromArray(obs, 1, 4)).Item();
                    Assert.That(buffer.FinalValues[k], Is.EqualTo(finalValue).Within(1e-5), $"V(final observation) [{t}, {i}]");
                }
                if (step.Terminated)
                    terminations++;
                if (step.Done)
                    env.Reset(obs);
            }
        }
        Assert.That(truncations, Is.GreaterThan(0), "some episodes reach the limit of 20 steps");
        Assert.That(terminations, Is.GreaterThan(0), "some fall");
    }

    [Test]
    public void BootstrappingAtTheTimeLimitChangesTheAdvantagesOnlyInTruncatedEpisodes()
    {
        var (_, buffer) = Collect();
        const float gamma = 0.99f, lambda = 0.95f;
        buffer.ComputeAdvantages(gamma, lambda, bootstrapTruncation: false);
        float[] cleanRl = (float[])buffer.Advantages.Clone();
        buffer.ComputeAdvantages(gamma, lambda, bootstrapTruncation: true);
        float[] ours = buffer.Advantages;

        for (int i = 0; i < N; i++)
        {
            // Walking back from the end: the difference at a truncated step is γ·V(final observation), and it reaches the
            // episode's earlier steps discounted by γλ per step; episodes that fell or are still running are unchanged.
            double expected = 0;
            for (int t = T - 1; t >= 0; t--)
            {
                int k = t * N + i;
                if (buffer.Terminated[k])
                    expected = 0;
                else if (buffer.Truncated[k])
                    expected = gamma * buffer.FinalValues[k];
                else
                    expected *= gamma * lambda;
                Assert.That(ours[k] - cleanRl[k], Is.EqualTo(expected).Within(1e-4), $"Â[{t}, {i}]");
            }
        }
        int truncated = Enumerable.Range(0, T * N).Count(k => buffer.Truncated[k] && !buffer.Terminated[k]);
        Assert.That(truncated, Is.GreaterThan(0));
        Assert.That(Enumerable.Range(0, T * N).Where(k => buffer.Truncated[k] && !buffer.Terminated[k]).Min(k => buffer.FinalValues[k]), Is.Not.EqualTo(0f),
            "the critic rates the final observations, so the bootstrap is not zero");
    }

    [Test]
    public void IsDeterministicPerSeed()
    {
        var (_, a) = Collect();
        var (_, b) = Collect();
        Assert.That(a.Actions, Is.EqualTo(b.Actions));
        Assert.That(a.LogProbs, Is.EqualTo(b.LogProbs));
    }

    [Test]
    public void RejectsANextStepEnv() =>
        Assert.That(() => new RolloutCollector(new CartPoleVectorEnv(2), new Rng(1)), Throws.ArgumentException.With.Message.Contains("SameStep"));

    /// <summary>A CleanRL-initialised 4-8-2 agent (its head scaled up so the policy is not uniform) on 3 envs cut at 20 steps.</summary>
    private static (Agent Agent, RolloutBuffer Buffer) Collect()
    {
        Agent agent = Agent.Create(4, 2, new Rng(5), [8]);
        // CleanRL's head gains (0.01 actor, 1 critic) make a flat policy and small values; bolder ones exercise more.
        foreach (Tensor p in agent.Parameters())
            for (int j = 0; j < p.Count; j++)
                p.Data[j] *= 30f;
        var env = new CartPoleVectorEnv(N, new CartPoleOptions { MaxEpisodeSteps = Limit }, AutoresetMode.SameStep);
        var collector = new RolloutCollector(env, new Rng(6));
        collector.Reset(Seed);
        var buffer = new RolloutBuffer(T, N, 4);
        collector.Collect(agent, buffer);
        return (agent, buffer);
    }
}
