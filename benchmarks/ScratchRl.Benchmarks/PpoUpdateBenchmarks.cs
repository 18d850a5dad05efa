using BenchmarkDotNet.Attributes;
using PolicyGradient;
using PolicyGradient.Rollout;
using PolicyGradient.Update;
using ScratchRl.Benchmarks.Columns;
using TinyTorch;
using TinyTorch.Optim;

namespace ScratchRl.Benchmarks;

/// <summary>
/// One PPO minibatch update of CleanRL's CartPole agent (4-64-64-2 actor, 4-64-64-1 critic, Tanh, one Adam over both,
/// clipped objective, clipped value loss, entropy bonus, gradient clipping at 0.5) on 128 rows, the minibatch of the
/// <c>ppo</c> preset (512 rows / 4):
/// <list type="bullet">
/// <item><see cref="AutogradUpdate"/> (baseline): <see cref="PpoUpdate.Step"/> on a prepared minibatch, the readable
/// update on the autograd engine (the graph is allocated every call).</item>
/// <item><see cref="EpochMinibatch"/>: the path training takes, <see cref="PpoEpochs.Run"/> over a 128-row rollout cut
/// into one minibatch: a fresh shuffle, the gather of the rows, then the same update.</item>
/// </list>
/// There is no allocation-free PPO update yet; the ratio shows what the shuffle and gather add.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class PpoUpdateBenchmarks : IFlopCount
{
    private const int Inputs = 4, Actions = 2, Hidden = 64, Batch = 128;

    private Agent _agent = null!, _epochAgent = null!;
    private Adam _adam = null!, _epochAdam = null!;
    private PpoBatch _batch = null!;
    private RolloutBuffer _rollout = null!;
    private PpoEpochs _epochs = null!;
    private Rng _shuffle = null!;
    private readonly PpoLossConfig _config = new();

    /// <summary>
    /// Forward through actor and critic (2·B·Σ in·out each), the weight gradients (the same again) and the input
    /// gradients of the two upper layers of each (the first layers' input gradients are not needed).
    /// </summary>
    public double Flops(string benchmark)
    {
        double actor = Inputs * Hidden + Hidden * Hidden + Hidden * Actions;
        double critic = Inputs * Hidden + Hidden * Hidden + Hidden;
        double inputGradients = Hidden * Hidden + Hidden * Actions + Hidden * Hidden + Hidden;
        return 2.0 * Batch * (2 * (actor + critic) + inputGradients);
    }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(13);
        (_agent, _epochAgent) = (Agent.Create(Inputs, Actions, new Rng(5), [Hidden, Hidden]), Agent.Create(Inputs, Actions, new Rng(5), [Hidden, Hidden]));
        _adam = new Adam(_agent.Parameters(), 2.5e-4, eps: 1e-5);
        _epochAdam = new Adam(_epochAgent.Parameters(), 2.5e-4, eps: 1e-5);

        // A rollout of 128 rows with CartPole-like observations, random actions, old log-probabilities near log ½ and
        // advantages, returns and values of a few units.
        _rollout = new RolloutBuffer(Batch, 1, Inputs);
        for (int k = 0; k < Batch; k++)
        {
            for (int j = 0; j < Inputs; j++)
                _rollout.Observations[k * Inputs + j] = (float)rng.Uniform(-2, 2);
            _rollout.Actions[k] = rng.NextInt(Actions);
            _rollout.LogProbs[k] = (float)Math.Log(0.5) + (float)rng.Uniform(-0.1, 0.1);
            _rollout.Advantages[k] = (float)rng.Uniform(-3, 3);
            _rollout.Values[k] = (float)rng.Uniform(0, 10);
            _rollout.Returns[k] = _rollout.Values[k] + _rollout.Advantages[k];
        }
        _batch = new PpoBatch(new Tensor((float[])_rollout.Observations.Clone(), Batch, Inputs), (int[])_rollout.Actions.Clone(),
            new Tensor((float[])_rollout.LogProbs.Clone(), Batch), new Tensor((float[])_rollout.Advantages.Clone(), Batch),
            new Tensor((float[])_rollout.Returns.Clone(), Batch), new Tensor((float[])_rollout.Values.Clone(), Batch));
        _epochs = new PpoEpochs(Batch, numMinibatches: 1, Inputs);
        _shuffle = new Rng(17);
    }

    [Benchmark(Baseline = true)]
    public float AutogradUpdate() => PpoUpdate.Step(_agent, _adam, _batch, _config).Stats.Loss;

    [Benchmark]
    public float EpochMinibatch() => _epochs.Run(_epochAgent, _epochAdam, _rollout, _config, epochs: 1, _shuffle).LastStats.Loss;
}
