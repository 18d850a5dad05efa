using BenchmarkDotNet.Attributes;
using ScratchRl.Benchmarks.Columns;

namespace ScratchRl.Benchmarks;

/// <summary>
/// <see cref="DqnUpdateBenchmarks.Update"/> at 4-256-256-2, B = 256 (the one shape whose products are split across
/// threads) with 1 and 2 threads, alone and while another process keeps a core busy (<see cref="BusyCoreProcess"/>).
/// With the other core taken, 2 threads should cost no more than 1: the part a descheduled worker cannot take is taken
/// back by the caller, and once splits lose more time than they save the products stay on the caller for a spell (see
/// MatMulThreads), whereas libtorch slowed 2–11× under such contention (issue 11).
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class DqnUpdateContentionBenchmarks : IFlopCount
{
    private static readonly DqnShape Shape = new(256, 256);

    private DqnUpdateBenchmarks _update = null!;
    private BusyCoreProcess? _busy;

    /// <summary><see cref="TinyTorch.Torch.SetNumThreads"/> for the run.</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>Whether another process spins on a core from setup to cleanup.</summary>
    [Params(false, true)]
    public bool BusyOtherCore { get; set; }

    public double Flops(string benchmark) => new DqnUpdateBenchmarks { Shape = Shape }.Flops(nameof(DqnUpdateBenchmarks.Update));

    [GlobalSetup]
    public void Setup()
    {
        _update = new DqnUpdateBenchmarks { Shape = Shape, Threads = Threads };
        _update.Setup();
        _busy = BusyOtherCore ? BusyCoreProcess.Start() : null;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _busy?.Dispose();
        _update.Cleanup();
    }

    [Benchmark(Baseline = true)]
    public float Update() => _update.Update();
}
