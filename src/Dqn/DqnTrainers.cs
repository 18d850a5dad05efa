using CartPole;
using Dqn.Tabular;
using Dqn.Training;
using Training.Config;
using Training.Runs;

namespace Dqn;

/// <summary>The trainers of this library: <see cref="DqnTrainer"/> for algorithm dqn, <see cref="QTableTrainer"/> for qtable.</summary>
public sealed class DqnTrainers : ITrainerFactory
{
    /// <summary>The one instance.</summary>
    public static DqnTrainers Instance { get; } = new();

    private DqnTrainers()
    {
    }

    /// <summary>A new <see cref="DqnTrainer"/> (algorithm dqn) or <see cref="QTableTrainer"/> (qtable) for <paramref name="config"/>.</summary>
    /// <exception cref="ConfigException">When <paramref name="config"/> names an algorithm this library does not train, or is invalid.</exception>
    public ITrainer Create(TrainConfig config, Func<IEnvironment> makeEnvironment)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Algorithm switch
        {
            Algorithm.Dqn => new DqnTrainer(config, makeEnvironment),
            Algorithm.QTable => new QTableTrainer(config, makeEnvironment),
            _ => throw new ConfigException($"algorithm {config.Algorithm} is not trained by the DQN library."),
        };
    }

    /// <summary>The DQN or tabular trainer saved in <paramref name="checkpointPath"/>, chosen by the checkpoint's format.</summary>
    /// <exception cref="InvalidDataException">When the file is not a checkpoint either trainer reads.</exception>
    public ITrainer Resume(string checkpointPath, Func<TrainConfig, IEnvironment> makeEnvironment) =>
        CheckpointFile.FormatOf(checkpointPath) == QTableTrainer.CheckpointFormat
            ? QTableTrainer.Resume(checkpointPath, makeEnvironment)
            : DqnTrainer.Resume(checkpointPath, makeEnvironment);
}
