namespace Training.Config;

/// <summary>How each <see cref="Algorithm"/> is named: its config.json word and its title in reports and displays.</summary>
public static class AlgorithmNames
{
    /// <summary>The word config.json and <c>--algo</c> use: dqn, qtable, ppo, reinforce.</summary>
    public static string Key(Algorithm algorithm) => algorithm switch
    {
        Algorithm.Dqn => "dqn",
        Algorithm.QTable => "qtable",
        Algorithm.Ppo => "ppo",
        Algorithm.Reinforce => "reinforce",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown algorithm."),
    };

    /// <summary>The name people read: DQN, Tabular Q-learning, PPO, REINFORCE.</summary>
    public static string Title(Algorithm algorithm) => algorithm switch
    {
        Algorithm.Dqn => "DQN",
        Algorithm.QTable => "Tabular Q-learning",
        Algorithm.Ppo => "PPO",
        Algorithm.Reinforce => "REINFORCE",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown algorithm."),
    };
}
