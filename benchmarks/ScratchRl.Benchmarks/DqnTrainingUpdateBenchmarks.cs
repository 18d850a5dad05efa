using BenchmarkDotNet.Attributes;
using Dqn.Training;
using ScratchRl.Benchmarks.Columns;
using Training.Config;
using Training.Runs;

namespace ScratchRl.Benchmarks;

/// <summary>
/// The gradient step exactly as a preset's training runs it: <see cref="DqnTrainer.GradientStep"/> of a trainer built
/// from the preset's config (its network, batch size, loss, Double DQN, n-step discounts, prioritized replay if any,
/// gradient clipping and optimizer), after learning_starts + <see cref="WarmUpSteps"/> environment steps of real
/// training filled its replay memory and began the updates. Each call samples a minibatch, updates θ and, with prioritized replay, the priorities.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class DqnTrainingUpdateBenchmarks : IFlopCount
{
    /// <summary>Environment steps of training after learning_starts, before the benchmark.</summary>
    public const long WarmUpSteps = 2_000;

    private const int Inputs = 4, Actions = 2;

    private DqnTrainer _trainer = null!;

    [Params("fast", "cleanrl")]
    public string Preset { get; set; } = "fast";

    /// <summary>
    /// Per update, 2·B·Σ in·out FLOPs for each pass over the network: the online forward over s, the target forward over
    /// s′, with Double DQN the online forward over s′, the weight gradients; plus the input gradients of every layer but
    /// the first. A dueling network's last layer has one more output.
    /// </summary>
    public double Flops(string benchmark)
    {
        var c = Presets.Get(Preset);
        int[] sizes = [Inputs, .. c.HiddenSizes, c.Dueling ? Actions + 1 : Actions];
        double pass = 0, upper = 0;
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            double layer = 2.0 * c.BatchSize * sizes[l] * sizes[l + 1];
            pass += layer;
            if (l > 0)
                upper += layer;
        }
        return (c.DoubleDqn ? 4 : 3) * pass + upper;
    }

    [GlobalSetup]
    public void Setup()
    {
        var config = Presets.Get(Preset) with { StopWhenSolved = false };
        _trainer = new DqnTrainer(config, () => new CartPole.CartPoleEnv(TrainingRun.EnvironmentOptions(config)))
        {
            PauseAtStep = config.LearningStarts + WarmUpSteps,
        };
        _trainer.Train();
    }

    [Benchmark(Baseline = true)]
    public float TrainingUpdate() => _trainer.GradientStep();
}
