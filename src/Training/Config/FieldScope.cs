namespace Training.Config;

/// <summary>Which runs read a config field; validation skips a field the run does not read.</summary>
public enum FieldScope
{
    /// <summary>Every run (the step budget, γ, evaluation, checkpoints).</summary>
    Every,

    /// <summary>DQN runs only (the optimizer kind, the loss, replay, the target network).</summary>
    Dqn,

    /// <summary>The runs that learn a network: DQN, PPO and REINFORCE (hidden sizes, learning rate, gradient clipping).</summary>
    Network,

    /// <summary>The value-based runs, DQN and tabular Q-learning (ε-greedy exploration).</summary>
    ValueBased,

    /// <summary>The policy-gradient runs, PPO and REINFORCE (the vector env, the entropy and value weights, Adam's ε).</summary>
    PolicyGradient,

    /// <summary>PPO runs only (GAE, the epochs of minibatches, the clipped objective).</summary>
    Ppo,

    /// <summary>DQN runs with prioritized replay.</summary>
    PrioritizedDqn,

    /// <summary>Tabular Q-learning runs only.</summary>
    QTable,
}
