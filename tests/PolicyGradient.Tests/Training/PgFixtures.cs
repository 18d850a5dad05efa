using CartPole;
using PolicyGradient.Training;
using TinyTorch.Nn;
using Training.Config;

namespace PolicyGradient.Tests.Training;

/// <summary>Small, fast policy-gradient configurations and comparisons shared by the trainer tests.</summary>
internal static class PgFixtures
{
    /// <summary>Three iterations of 2 envs × 32 steps with a 4-8-2 actor, episodes cut at 20 steps, an evaluation every 64 steps.</summary>
    public static TrainConfig Small(Algorithm algorithm, ulong seed = 3) => Presets.Get(AlgorithmNames.Key(algorithm)) with
    {
        Seed = seed,
        TotalTimesteps = 64 * 3,
        HiddenSizes = [8],
        MaxEpisodeSteps = 20,
        EvalFrequency = 64,
        EvalEpisodes = 2,
        FinalEvalEpisodes = 3,
        StopWhenSolved = false,
        Ppo = Presets.Get(AlgorithmNames.Key(algorithm)).Ppo with { NumEnvs = 2, NumSteps = 32, NumMinibatches = 2, UpdateEpochs = 2 },
    };

    public static IEnvironment CartPole(TrainConfig config) => new CartPoleEnv(new CartPoleOptions { MaxEpisodeSteps = config.MaxEpisodeSteps });

    public static PolicyGradientTrainer Trainer(TrainConfig config) =>
        (PolicyGradientTrainer)PolicyGradientTrainers.Instance.Create(config, () => CartPole(config));

    /// <summary>Every parameter value as its bits, in state-dict order: equal lists mean bit-identical networks.</summary>
    public static List<int> Bits(Module network) =>
        [.. network.Parameters().SelectMany(p => p.Data).Select(BitConverter.SingleToInt32Bits)];

    /// <summary>metrics.csv without its wall-clock column, which differs between runs.</summary>
    public static string[] MetricsWithoutTime(string csv) =>
        [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[..line.LastIndexOf(',')])];
}
