using CartPole;
using Training.Config;
using Training.Runs;

namespace PolicyGradient.Training;

/// <summary>The trainers of this library: <see cref="PpoTrainer"/> for algorithm ppo, <see cref="ReinforceTrainer"/> for reinforce.</summary>
public sealed class PolicyGradientTrainers : ITrainerFactory
{
    /// <summary>The one instance.</summary>
    public static PolicyGradientTrainers Instance { get; } = new();

    private PolicyGradientTrainers()
    {
    }

    /// <inheritdoc/>
    public ITrainer Create(TrainConfig config, Func<IEnvironment> makeEnvironment)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Make(config, makeEnvironment, state: null);
    }

    /// <summary>
    /// Rebuilds a trainer from a checkpoint written from <see cref="PolicyGradientTrainer.CaptureCheckpoint"/>; its next
    /// Train call continues exactly where the saved run stopped (the vector env is reset with its seed and the saved
    /// actions are replayed). Throws <see cref="InvalidDataException"/> naming the file and the problem.
    /// </summary>
    public ITrainer Resume(string checkpointPath, Func<TrainConfig, IEnvironment> makeEnvironment)
    {
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        var config = PolicyGradientState.ReadConfig(checkpointPath);
        var probe = makeEnvironment(config);
        var state = PolicyGradientState.Load(checkpointPath, probe.ObservationSize, probe.ActionCount);
        try
        {
            return Make(state.Config, () => makeEnvironment(state.Config), state);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{checkpointPath}' is not a usable checkpoint: {e.Message}", e);
        }
    }

    private static PolicyGradientTrainer Make(TrainConfig config, Func<IEnvironment> makeEnvironment, PolicyGradientState? state) => config.Algorithm switch
    {
        Algorithm.Ppo => new PpoTrainer(config, makeEnvironment, state),
        Algorithm.Reinforce => new ReinforceTrainer(config, makeEnvironment, state),
        _ => throw new ConfigException($"algorithm {AlgorithmNames.Key(config.Algorithm)} is not trained by the policy-gradient library."),
    };
}
