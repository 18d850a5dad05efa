using CartPole;
using Training.Config;
using Dqn.Training;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;
using Training.Runs;

namespace Dqn.Tests.Training;

/// <summary>Small, fast training configurations and comparisons shared by the trainer tests.</summary>
internal static class TrainerFixtures
{
    /// <summary>
    /// A short CartPole run with a small network: learning starts early, an update and a soft target update every step
    /// (so one more step is one more gradient step), frequent evaluations.
    /// </summary>
    public static TrainConfig Small(ulong seed = 7) => new()
    {
        Seed = seed,
        TotalTimesteps = 1_500,
        HiddenSizes = [16, 16],
        LearningRate = 1e-3,
        TrainFrequency = 1,
        TargetNetworkFrequency = 1,
        Tau = 0.01,
        BufferSize = 1_000,
        BatchSize = 16,
        LearningStarts = 100,
        ExplorationFraction = 0.5,
        EvalFrequency = 500,
        EvalEpisodes = 2,
        FinalEvalEpisodes = 3,
        StopWhenSolved = false,
    };

    public static DqnTrainer CartPoleTrainer(TrainConfig config) =>
        new(config, () => new CartPoleEnv(new CartPoleOptions { MaxEpisodeSteps = config.MaxEpisodeSteps }));

    public static IEnvironment CartPole(TrainConfig config) =>
        new CartPoleEnv(new CartPoleOptions { MaxEpisodeSteps = config.MaxEpisodeSteps });

    /// <summary>A copy of a network (same layout, same values, its own storage).</summary>
    public static Sequential Clone(Sequential network) => Sequential.MlpFromStateDict(network.StateDict());

    /// <summary>A copy of an optimizer's state (the optimizer's own buffers keep changing).</summary>
    public static OptimizerState Clone(OptimizerState state)
    {
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in state.Tensors)
            tensors[key] = tensor.Clone();
        return new OptimizerState(state.Step, tensors);
    }

    /// <summary>Every parameter value as its bits, in state-dict order: equal lists mean bit-identical networks.</summary>
    public static List<int> Bits(Sequential network)
    {
        var bits = new List<int>();
        foreach (var parameter in network.Parameters())
        {
            foreach (float v in parameter.Data)
                bits.Add(BitConverter.SingleToInt32Bits(v));
        }
        return bits;
    }

    /// <summary>metrics.csv without its wall-clock column, which differs between runs.</summary>
    public static string MetricsWithoutTime(string csv)
    {
        var lines = csv.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int last = lines[i].LastIndexOf(',');
            if (last >= 0)
                lines[i] = lines[i][..last];
        }
        return string.Join('\n', lines);
    }
}
