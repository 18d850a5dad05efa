namespace CartPole;

/// <summary>
/// The knobs Gymnasium exposes on CartPole-v1; the defaults are <c>gym.make("CartPole-v1")</c>.
/// </summary>
public sealed record CartPoleOptions
{
    /// <summary>Gymnasium's defaults: Euler integration, reward 1 on every step, truncation at 500 steps.</summary>
    public static CartPoleOptions Default { get; } = new();

    /// <summary>The step count at which an episode is truncated (Gymnasium's <c>TimeLimit</c>, 500 for v1).</summary>
    public int MaxEpisodeSteps { get; init; } = 500;

    /// <summary>Explicit Euler (default) or semi-implicit Euler.</summary>
    public CartPoleIntegrator Integrator { get; init; } = CartPoleIntegrator.Euler;

    /// <summary>
    /// Gymnasium's <c>sutton_barto_reward=True</c>: reward 0 on every step that does not terminate and −1 on the step
    /// that does, instead of 1 on every step including the terminating one.
    /// </summary>
    public bool SuttonBartoReward { get; init; }

    /// <summary>Throws when a value is out of range; called by the environments' constructors.</summary>
    public void Validate()
    {
        if (MaxEpisodeSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxEpisodeSteps), MaxEpisodeSteps,
                $"CartPole: MaxEpisodeSteps must be at least 1, got {MaxEpisodeSteps}.");
        if (!Enum.IsDefined(Integrator))
            throw new ArgumentOutOfRangeException(nameof(Integrator), Integrator,
                $"CartPole: Integrator must be Euler or SemiImplicitEuler, got {(int)Integrator}.");
    }
}
