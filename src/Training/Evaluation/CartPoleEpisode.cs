using CartPole;
using Training.Policies;

namespace Training.Evaluation;

/// <summary>
/// One CartPole-v1 episode played by a policy from a seeded reset, with every float64 state kept for drawing
/// (<see cref="CartPole.Rendering.SvgAnimation"/>, <see cref="CartPole.Rendering.TextRenderer"/>).
/// </summary>
public sealed record CartPoleEpisode
{
    /// <summary>The start state, then the state after each step.</summary>
    public required IReadOnlyList<CartPoleState> States { get; init; }

    /// <summary>The action of each step (0 left, 1 right).</summary>
    public required IReadOnlyList<int> Actions { get; init; }

    /// <summary>Sum of the rewards.</summary>
    public required double Return { get; init; }

    /// <summary>True when the pole fell or the cart left the track.</summary>
    public required bool Terminated { get; init; }

    /// <summary>True when the time limit ended the episode.</summary>
    public required bool Truncated { get; init; }

    /// <summary>The reset seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Steps taken.</summary>
    public int Length => Actions.Count;

    /// <summary>Plays <paramref name="policy"/> greedily from <c>Reset(seed)</c> until the episode ends.</summary>
    public static CartPoleEpisode Play(IPolicy policy, CartPoleOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var env = new CartPoleEnv(options);
        Span<float> observation = stackalloc float[env.ObservationSize];
        env.Reset(observation, seed);
        var states = new List<CartPoleState> { env.State };
        var actions = new List<int>();
        double total = 0;
        while (true)
        {
            int action = policy.Act(observation);
            var result = env.Step(action, observation);
            states.Add(env.State);
            actions.Add(action);
            total += result.Reward;
            if (result.Done)
            {
                return new CartPoleEpisode
                {
                    States = states,
                    Actions = actions,
                    Return = total,
                    Terminated = result.Terminated,
                    Truncated = result.Truncated,
                    Seed = seed,
                };
            }
        }
    }
}
