using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using ScratchRl.Benchmarks;
using ScratchRl.Benchmarks.Columns;
using static TorchSharp.torch;

namespace LibTorch.Comparison;

/// <summary>
/// One DQN update of a 4-H-H-2 Q-network (Huber loss, Adam, target network; see <see cref="DqnUpdateBenchmarks"/>) in
/// ScratchRl (the baseline: <see cref="DqnUpdateBenchmarks.Update"/> itself) and in libtorch
/// (<see cref="LibTorchQUpdate"/>), from the same weights on the same batch, with 1 and 2 threads
/// (<c>Torch.SetNumThreads</c>, <c>torch.set_num_threads</c>), alone and while another process keeps a core busy
/// (<see cref="BusyCoreProcess"/>). The Ratio column is libtorch's time over ScratchRl's for the same parameters.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class DqnUpdateComparison : IFlopCount
{
    private DqnUpdateBenchmarks _scratchRl = null!;
    private LibTorchQUpdate? _libTorch;
    private BusyCoreProcess? _busy;

    [ParamsSource(nameof(Shapes))]
    public DqnShape Shape { get; set; }

    public static IEnumerable<DqnShape> Shapes() => DqnUpdateBenchmarks.Shapes();

    /// <summary>Threads each library may use for the run.</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>Whether another process spins on a core from setup to cleanup.</summary>
    [Params(false, true)]
    public bool BusyOtherCore { get; set; }

    /// <summary>The FLOPs <see cref="DqnUpdateBenchmarks"/> counts for the shape: the same work in both libraries.</summary>
    public double Flops(string benchmark) => new DqnUpdateBenchmarks { Shape = Shape }.Flops(nameof(DqnUpdateBenchmarks.Update));

    [GlobalSetup(Target = nameof(ScratchRlUpdate))]
    public void SetupScratchRl()
    {
        _scratchRl = NewScratchRlUpdate();
        _busy = BusyOtherCore ? BusyCoreProcess.Start() : null;
    }

    /// <summary>Checks first that both libraries compute the same losses (<see cref="LibTorchQUpdate.CheckSameAs"/>).</summary>
    [GlobalSetup(Target = nameof(LibTorchUpdate))]
    public void SetupLibTorch()
    {
        LibTorchNative.EnsureLoadable();
        StartLibTorch();
        _busy = BusyOtherCore ? BusyCoreProcess.Start() : null;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _busy?.Dispose();
        _libTorch?.Dispose();
        _scratchRl?.Cleanup();
    }

    [Benchmark(Baseline = true)]
    public float ScratchRlUpdate() => _scratchRl.Update();

    [Benchmark]
    public float LibTorchUpdate() => _libTorch!.Step();

    /// <summary>The first use of libtorch, in a method of its own: see <see cref="LibTorchNative.EnsureLoadable"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void StartLibTorch()
    {
        set_num_threads(Threads);
        LibTorchQUpdate.CheckSameAs(NewScratchRlUpdate());
        _libTorch = new LibTorchQUpdate(NewScratchRlUpdate());
    }

    private DqnUpdateBenchmarks NewScratchRlUpdate()
    {
        _scratchRl = new DqnUpdateBenchmarks { Shape = Shape, Threads = Threads };
        _scratchRl.Setup();
        return _scratchRl;
    }
}
