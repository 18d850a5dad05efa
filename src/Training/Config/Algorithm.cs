using System.Text.Json.Serialization;

namespace Training.Config;

/// <summary>Which learner a run uses.</summary>
public enum Algorithm
{
    /// <summary>Deep Q-Network (Mnih et al. 2015) and its options (double, dueling, n-step, prioritized replay).</summary>
    Dqn,

    /// <summary>Tabular Q-learning (Watkins 1989) on a discretised observation.</summary>
    [JsonStringEnumMemberName("qtable")]
    QTable,

    /// <summary>Proximal policy optimisation (Schulman et al. 2017) as CleanRL's ppo.py: reads the ppo.* fields.</summary>
    Ppo,

    /// <summary>REINFORCE (Williams 1992) with a learned value baseline: reads some ppo.* fields (num_envs, num_steps, ...).</summary>
    Reinforce,
}
