namespace CartPole;

/// <summary>
/// The outcome of one step. <see cref="Terminated"/>: the MDP reached a terminal state (no bootstrapping past it).
/// <see cref="Truncated"/>: the episode was cut by a time limit (the next state still has value). Both can be true.
/// </summary>
public readonly record struct StepResult(float Reward, bool Terminated, bool Truncated)
{
    /// <summary>The episode is over (terminated or truncated): reset before the next step.</summary>
    public bool Done => Terminated || Truncated;
}
