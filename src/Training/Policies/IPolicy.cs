namespace Training.Policies;

/// <summary>
/// Anything that picks an action from an observation: the greedy DQN network, the tabular Q-table, a scripted
/// controller. Evaluation runs any of them the same way. <see cref="Act"/> is called once per environment step and
/// should not allocate.
/// </summary>
public interface IPolicy
{
    /// <summary>The action to take in <paramref name="observation"/>, in 0 .. ActionCount − 1.</summary>
    int Act(ReadOnlySpan<float> observation);
}
