using CartPole;
using Training.Config;

namespace Training.Runs;

/// <summary>Makes the trainer of a config's algorithm, new or from a checkpoint; the algorithm libraries implement it.</summary>
public interface ITrainerFactory
{
    /// <summary>A new trainer of <paramref name="config"/>; <paramref name="makeEnvironment"/> is called once per environment it needs.</summary>
    ITrainer Create(TrainConfig config, Func<IEnvironment> makeEnvironment);

    /// <summary>The trainer saved in <paramref name="checkpointPath"/>; throws <see cref="InvalidDataException"/> when it cannot be read.</summary>
    ITrainer Resume(string checkpointPath, Func<TrainConfig, IEnvironment> makeEnvironment);
}
