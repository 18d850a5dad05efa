namespace CartPole;

/// <summary>
/// What an agent needs from a discrete-action environment, and nothing more: the DQN and tabular code
/// depend on this, not on CartPole, so other environments can plug in. Observations are written into
/// the caller's span, so no step allocates.
/// </summary>
public interface IEnvironment
{
    /// <summary>Length of an observation vector.</summary>
    int ObservationSize { get; }

    /// <summary>Actions are 0 .. ActionCount − 1.</summary>
    int ActionCount { get; }

    /// <summary>Starts an episode and writes the first observation. With a seed, the environment's own RNG is reseeded first (Gymnasium's <c>reset(seed=...)</c>); without, it continues its stream.</summary>
    void Reset(Span<float> observation, ulong? seed = null);

    /// <summary>Applies <paramref name="action"/>, writes the next observation and returns the reward and the end flags.</summary>
    StepResult Step(int action, Span<float> observation);
}
