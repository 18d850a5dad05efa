using BenchmarkDotNet.Attributes;
using Dqn.Update;
using ScratchRl.Benchmarks.Columns;
using TinyTorch;
using TinyTorch.Kernels;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace ScratchRl.Benchmarks;

/// <summary>
/// One full DQN update of a 4-H-H-2 Q-network with Adam, Huber loss and a target network (no Double DQN, no clipping):
/// online forward, gather Q(s, a), target forward without a graph, max over a′, TD target, Huber loss, backward, Adam.
/// The same batch every call, so the network keeps fitting it, as training does between two samples.
/// <list type="bullet">
/// <item><see cref="AutogradUpdate"/> (baseline): the readable <see cref="QUpdate.Step"/> on the autograd engine, with the
/// same matmul kernel, so the Ratio shows what the allocation-free hot path saves over the graph.</item>
/// <item><see cref="Update"/>: <see cref="FastQUpdate.Step"/>, the update the training loop runs.</item>
/// </list>
/// H = 64 (batch 64) is bound by per-call overhead, H = 256 (batch 256) by arithmetic.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class DqnUpdateBenchmarks : IFlopCount
{
    private const int Inputs = 4, Actions = 2;

    private Sequential _autogradOnline = null!, _autogradTarget = null!;
    private Adam _autogradAdam = null!;
    private FastQUpdate _fast = null!;
    private QBatch _batch = null!;
    private float[] _observations = null!, _nextObservations = null!, _rewards = null!, _terminated = null!;
    private int[] _actions = null!;
    private readonly QUpdateConfig _config = new() { Gamma = 0.99 };

    [ParamsSource(nameof(Shapes))]
    public DqnShape Shape { get; set; }

    public static IEnumerable<DqnShape> Shapes() => [new(64, 64), new(128, 128), new(256, 256)];

    /// <summary>
    /// <see cref="Torch.SetNumThreads"/> for the run: with 2, products of at least 8 MFLOP (H = 256 at batch 256) are
    /// split across both cores; smaller shapes stay on one thread, so their two rows should match.
    /// </summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>
    /// Three passes of the whole network (online forward, target forward, weight gradients) at 2·B·Σ in·out each, plus
    /// the input gradients of the two upper layers (the first layer's input gradient is not needed).
    /// </summary>
    public double Flops(string benchmark)
    {
        var (h, b) = (Shape.Hidden, Shape.Batch);
        double pass = 2.0 * b * (Inputs * h + h * h + h * Actions);
        double inputGradients = 2.0 * b * (h * h + h * Actions);
        return 3 * pass + inputGradients;
    }

    [GlobalCleanup]
    public void Cleanup() => Torch.SetNumThreads(1);

    [GlobalSetup]
    public void Setup()
    {
        Torch.SetNumThreads(Threads);
        int b = Shape.Batch;
        var rng = new Rng(11);
        // CartPole-like observations, random actions, reward 1, one terminal transition in twenty
        _observations = Torch.Uniform(rng, -2f, 2f, b * Inputs).Data;
        _nextObservations = Torch.Uniform(rng, -2f, 2f, b * Inputs).Data;
        _actions = new int[b];
        _rewards = new float[b];
        _terminated = new float[b];
        for (int i = 0; i < b; i++)
        {
            _actions[i] = rng.NextInt(Actions);
            _rewards[i] = 1f;
            _terminated[i] = i % 20 == 19 ? 1f : 0f;
        }
        _batch = new QBatch(new Tensor(_observations, b, Inputs), _actions, new Tensor(_rewards, b),
            new Tensor(_nextObservations, b, Inputs), new Tensor(_terminated, b));

        (_autogradOnline, _autogradTarget) = (Network(), Network());
        _autogradAdam = new Adam(_autogradOnline.Parameters());
        _fast = Fast();
    }

    /// <summary>The seeded batch every call trains on (set by <see cref="Setup"/>); other libraries' rows train on it too.</summary>
    public QBatch Batch => _batch;

    /// <summary>The update's hyperparameters: γ = 0.99, Huber loss with β = 1, no Double DQN, no clipping.</summary>
    public QUpdateConfig Config => _config;

    [Benchmark(Baseline = true)]
    public float AutogradUpdate() => QUpdate.Step(_autogradOnline, _autogradTarget, _autogradAdam, _batch, _config).Loss;

    [Benchmark]
    public float Update() => _fast.Step(_observations, _actions, _rewards, _nextObservations, _terminated);

    private FastQUpdate Fast()
    {
        Sequential online = Network(), target = Network();
        return new FastQUpdate(online, target, new Adam(online.Parameters()), _config, batchCapacity: Shape.Batch);
    }

    /// <summary>
    /// 4-H-H-2 with the same seed every time, so every row starts from the same weights (other libraries' rows copy them).
    /// Adam with its defaults (lr 1e-3, β 0.9 and 0.999, ε 1e-8) trains it.
    /// </summary>
    public Sequential Network() => Sequential.Mlp(new Rng(5), Inputs, [Shape.Hidden, Shape.Hidden], Actions);
}
