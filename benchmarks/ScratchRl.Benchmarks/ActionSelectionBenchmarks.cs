using BenchmarkDotNet.Attributes;
using ScratchRl.Benchmarks.Columns;
using TinyTorch;
using TinyTorch.Nn;

namespace ScratchRl.Benchmarks;

/// <summary>
/// The greedy action argmaxₐ Q(s, a) for one CartPole observation through a 4-128-128-2 Q-network, as the agent picks
/// it on every environment step. Baseline: the autograd engine's forward (no graph recorded, inside
/// <see cref="Torch.NoGrad"/>), which allocates a tensor per layer. Then the workspace's batched forward with a batch of
/// one (the general matmul kernel), and <see cref="MlpWorkspace.ForwardArgMax"/> (matrix-vector products).
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class ActionSelectionBenchmarks : IFlopCount
{
    private const int Inputs = 4, Hidden = 128, Actions = 2;

    private Sequential _net = null!;
    private MlpWorkspace _workspace = null!;
    private Tensor _observationTensor = null!;
    private float[] _observation = null!;

    /// <summary>2·Σ in·out: 34,304 FLOPs.</summary>
    public double Flops(string benchmark) => 2.0 * (Inputs * Hidden + Hidden * Hidden + Hidden * Actions);

    [GlobalSetup]
    public void Setup()
    {
        _net = Sequential.Mlp(new Rng(5), Inputs, [Hidden, Hidden], Actions);
        _workspace = new MlpWorkspace(_net);
        _observation = [0.02f, -0.3f, 0.05f, 0.4f];
        _observationTensor = new Tensor(_observation, 1, Inputs);
    }

    [Benchmark(Baseline = true)]
    public int Autograd()
    {
        using (Torch.NoGrad())
            return MlpWorkspace.ArgMax(_net.Forward(_observationTensor).Data);
    }

    [Benchmark]
    public int BatchOfOne() => MlpWorkspace.ArgMax(_workspace.Forward(_observation));

    [Benchmark]
    public int ForwardArgMax() => _workspace.ForwardArgMax(_observation);
}
