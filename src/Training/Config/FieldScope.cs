namespace Training.Config;

/// <summary>Which runs read a config field; validation skips a field the run does not read.</summary>
public enum FieldScope
{
    /// <summary>Every run (the step budget, exploration, evaluation, checkpoints).</summary>
    Every,

    /// <summary>DQN runs only (the network, the optimizer, replay, the target network).</summary>
    Dqn,

    /// <summary>DQN runs with prioritized replay.</summary>
    PrioritizedDqn,

    /// <summary>Tabular Q-learning runs only.</summary>
    QTable,
}
