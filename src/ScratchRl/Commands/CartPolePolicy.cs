using CartPole;
using TinyTorch;

namespace ScratchRl.Commands;

/// <summary>The built-in players of <c>scratchrl cartpole --policy</c>, for watching the environment without an agent.</summary>
public abstract class CartPolePolicy
{
    public abstract int Act(CartPoleState state);

    /// <summary>Parses a policy name (random or balance); the random policy draws from <paramref name="rng"/>.</summary>
    public static CartPolePolicy Parse(string name, Rng rng) => name.ToLowerInvariant() switch
    {
        "random" => new RandomPolicy(rng),
        "balance" => new BalancePolicy(),
        _ => throw new Cli.UsageException($"--policy must be random or balance, got '{name}'."),
    };

    /// <summary>Each action 0 or 1 with probability ½, like Gymnasium's <c>action_space.sample()</c>.</summary>
    private sealed class RandomPolicy(Rng rng) : CartPolePolicy
    {
        public override int Act(CartPoleState state) => rng.NextInt(2);
    }

    /// <summary>
    /// Push towards the side the pole is falling to: a linear controller, push right when
    /// θ + 0.3·θ̇ + 0.03·x + 0.1·ẋ &gt; 0. The x terms keep the cart near the centre (to move the cart left it must first
    /// tip the pole left, by pushing right). Balances for the full 500 steps from every start state we tried.
    /// </summary>
    private sealed class BalancePolicy : CartPolePolicy
    {
        public override int Act(CartPoleState s) =>
            s.Theta + 0.3 * s.ThetaDot + 0.03 * s.X + 0.1 * s.XDot > 0 ? 1 : 0;
    }
}
