using TinyTorch;
using TinyTorch.Distributions;
using Training.Policies;

namespace PolicyGradient;

/// <summary>
/// An agent's stochastic policy, a ~ π(·|s) = softmax(logits(s)), drawn as in training (<see cref="Categorical.Sample"/>:
/// one uniform from <paramref name="rng"/> per step, inverted through the CDF), so a seed reproduces the episode.
/// Training evaluates greedily (<see cref="Agent.Act"/>); this is how the policy behaved while it learned.
/// </summary>
public sealed class SampledPolicy(Agent agent, Rng rng) : IPolicy
{
    private readonly int[] _action = new int[1];

    /// <summary>One action sampled from π(·|s).</summary>
    public int Act(ReadOnlySpan<float> observation)
    {
        var row = new Tensor(observation.ToArray(), [1, observation.Length]);
        using (Torch.NoGrad())
            new Categorical(agent.Actor.Forward(row)).Sample(rng, _action);
        return _action[0];
    }
}
