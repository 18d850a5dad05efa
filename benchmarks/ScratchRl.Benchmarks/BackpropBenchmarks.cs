using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ScratchRl.Benchmarks.Columns;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace ScratchRl.Benchmarks;

/// <summary>
/// Forward, backward and the Adam step of a 4-128-128-2 MLP on a batch of 128, separately and together, grouped by
/// category. Each group's baseline is the way the same work is written without the training hot path: the autograd
/// engine (<c>Module.Forward</c> recording a graph, <c>Tensor.Backward</c> walking it) for the passes, and Adam as ten
/// TensorPrimitives passes (one per formula line) for the optimizer step. Both use the same matmul kernel, so the
/// Ratio column measures the graph, the allocations and the unfused passes, not the kernel.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class BackpropBenchmarks : IFlopCount
{
    private const int Batch = 128, Inputs = 4, Hidden = 128, Outputs = 2;

    private Sequential _autogradNet = null!, _net = null!;
    private Adam _autogradAdam = null!, _adam = null!;
    private MlpWorkspace _workspace = null!;
    private Tensor _input = null!, _target = null!, _gradOutput = null!, _recordedOutput = null!;
    private float[] _gradBuffer = null!;
    private MultiPassAdam _multiPassAdam = null!;

    /// <summary>2·B·Σ in·out for a forward; backward adds the weight gradients (the same count) and the input gradients of every layer but the first.</summary>
    public double Flops(string benchmark)
    {
        double forward = 2.0 * Batch * (Inputs * Hidden + Hidden * Hidden + Hidden * Outputs);
        double inputGradients = 2.0 * Batch * (Hidden * Hidden + Hidden * Outputs);
        return benchmark switch
        {
            nameof(AutogradForward) or nameof(Forward) => forward,
            nameof(AutogradBackward) or nameof(Backward) => forward + inputGradients,
            nameof(AutogradStep) or nameof(Step) => 2 * forward + inputGradients,
            _ => 0,
        };
    }

    [GlobalSetup]
    public void Setup()
    {
        _autogradNet = Network();
        _net = Network();
        _autogradAdam = new Adam(_autogradNet.Parameters(), lr: 1e-4);
        _adam = new Adam(_net.Parameters(), lr: 1e-4);
        _workspace = new MlpWorkspace(_net, Batch);
        var rng = new Rng(7);
        _input = Torch.Uniform(rng, -2f, 2f, Batch, Inputs);
        _target = Torch.Uniform(rng, 0f, 10f, Batch, Outputs);
        _gradOutput = Torch.Uniform(rng, -0.01f, 0.01f, Batch, Outputs);
        _gradBuffer = new float[Batch * Outputs];

        // A graph recorded once for the backward-only rows, activations kept for the workspace's backward.
        _recordedOutput = _autogradNet.Forward(_input);
        _workspace.Forward(_input.Data);
        // Gradients for the optimizer-only rows: one real backward pass.
        _recordedOutput.Backward(_gradOutput);
        _workspace.Backward(_gradOutput.Data);
        _multiPassAdam = new MultiPassAdam(_net.Parameters(), lr: 1e-4);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Forward")]
    public Tensor AutogradForward() => _autogradNet.Forward(_input);

    [Benchmark]
    [BenchmarkCategory("Forward")]
    public float Forward() => _workspace.Forward(_input.Data)[0];

    /// <summary>Walks the graph recorded in setup (it is kept after Backward); gradients accumulate.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Backward")]
    public void AutogradBackward() => _recordedOutput.Backward(_gradOutput);

    /// <summary>Reuses the activations of the last <see cref="MlpWorkspace.Forward"/>; gradients accumulate.</summary>
    [Benchmark]
    [BenchmarkCategory("Backward")]
    public void Backward() => _workspace.Backward(_gradOutput.Data);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Adam")]
    public void AdamMultiPass() => _multiPassAdam.Step();

    [Benchmark]
    [BenchmarkCategory("Adam")]
    public void AdamStep() => _adam.Step();

    /// <summary>One regression step on the autograd engine: zero_grad, forward, MSE loss, backward, Adam.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Step")]
    public float AutogradStep()
    {
        _autogradAdam.ZeroGrad();
        Tensor loss = _autogradNet.Forward(_input).MseLoss(_target);
        loss.Backward();
        _autogradAdam.Step();
        return loss.Item();
    }

    /// <summary>The same step on the workspace: ∂L/∂y = 2·(y − t)/N for L = mean((y − t)²) over the N outputs.</summary>
    [Benchmark]
    [BenchmarkCategory("Step")]
    public float Step()
    {
        _adam.ZeroGrad();
        ReadOnlySpan<float> y = _workspace.Forward(_input.Data);
        Span<float> g = _gradBuffer;
        TensorPrimitives.Subtract(y, _target.Data, g);
        TensorPrimitives.Multiply(g, 2f / g.Length, g);
        _workspace.Backward(g);
        _adam.Step();
        return g[0];
    }

    private static Sequential Network() => Sequential.Mlp(new Rng(3), Inputs, [Hidden, Hidden], Outputs);
}
