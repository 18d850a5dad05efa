namespace Training.Policies;

/// <summary>
/// Anything that picks an action from an observation: the greedy DQN network, the tabular Q-table, a scripted
/// controller. Evaluation runs any of them the same way. <see cref="Act"/> is called once per environment step and
/// should not allocate.
/// </summary>
public interface IPolicy
{
    int Act(ReadOnlySpan<float> observation);
}
