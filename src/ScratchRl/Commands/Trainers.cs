using CartPole;
using Dqn;
using Dqn.Training;
using PolicyGradient.Training;
using Training.Config;
using Training.Runs;

namespace ScratchRl.Commands;

/// <summary>
/// Every trainer the command line knows, as one factory: a new run goes to the library of its config's algorithm
/// (DQN and tabular Q-learning: <see cref="DqnTrainers"/>; PPO and REINFORCE: <see cref="PolicyGradientTrainers"/>),
/// a checkpoint to the library whose format its metadata names.
/// </summary>
public sealed class Trainers : ITrainerFactory
{
    /// <summary>The one instance.</summary>
    public static Trainers Instance { get; } = new();

    private Trainers()
    {
    }

    /// <inheritdoc/>
    public ITrainer Create(TrainConfig config, Func<IEnvironment> makeEnvironment)
    {
        ArgumentNullException.ThrowIfNull(config);
        return For(config.Algorithm).Create(config, makeEnvironment);
    }

    /// <inheritdoc/>
    public ITrainer Resume(string checkpointPath, Func<TrainConfig, IEnvironment> makeEnvironment) =>
        (PolicyGradientState.IsCheckpoint(checkpointPath) ? (ITrainerFactory)PolicyGradientTrainers.Instance : DqnTrainers.Instance)
            .Resume(checkpointPath, makeEnvironment);

    /// <summary>The library that trains <paramref name="algorithm"/>.</summary>
    public static ITrainerFactory For(Algorithm algorithm) => algorithm switch
    {
        Algorithm.Dqn or Algorithm.QTable => DqnTrainers.Instance,
        Algorithm.Ppo or Algorithm.Reinforce => PolicyGradientTrainers.Instance,
        _ => throw new ConfigException($"no trainer for algorithm {algorithm}."),
    };
}
