using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using ScratchRl.Benchmarks;
using ScratchRl.Benchmarks.Columns;
using Torch = TinyTorch.Torch;
using TinyTorch.Kernels;
using static TorchSharp.torch;

namespace LibTorch.Comparison;

/// <summary>
/// C = A·B for square float32 matrices of 512 and 1024: ScratchRl's <see cref="MatMul.Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/>
/// (the widest kernel the CPU has, into a preallocated C; the baseline) and libtorch's <c>a.matmul(b)</c> (as a
/// PyTorch user writes <c>a @ b</c>: it allocates C, a few hundred µs of page faults at most against milliseconds of
/// arithmetic), with 1 and 2 threads, alone and while another process keeps a core busy (<see cref="BusyCoreProcess"/>).
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class MatMulComparison : IFlopCount
{
    private MatMulWorkload _scratchRl = null!;
    private Tensor? _a, _b;
    private BusyCoreProcess? _busy;

    [Params(512, 1024)]
    public int Size { get; set; }

    /// <summary>Threads each library may use for the run.</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>Whether another process spins on a core from setup to cleanup.</summary>
    [Params(false, true)]
    public bool BusyOtherCore { get; set; }

    public double Flops(string benchmark) => MatMulCase.Square(Size).Flops;

    [GlobalSetup(Target = nameof(ScratchRlMatMul))]
    public void SetupScratchRl()
    {
        Torch.SetNumThreads(Threads);
        _scratchRl = new MatMulWorkload(MatMulCase.Square(Size));
        _busy = BusyOtherCore ? BusyCoreProcess.Start() : null;
    }

    /// <summary>Operands uniform in [−1, 1) from libtorch's own seeded generator (the values do not change the speed).</summary>
    [GlobalSetup(Target = nameof(LibTorchMatMul))]
    public void SetupLibTorch()
    {
        LibTorchNative.EnsureLoadable();
        StartLibTorch();
        _busy = BusyOtherCore ? BusyCoreProcess.Start() : null;
    }

    /// <summary>The first use of libtorch, in a method of its own: see <see cref="LibTorchNative.EnsureLoadable"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void StartLibTorch()
    {
        set_num_threads(Threads);
        manual_seed(42);
        _a = rand(Size, Size) * 2 - 1;
        _b = rand(Size, Size) * 2 - 1;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _busy?.Dispose();
        _a?.Dispose();
        _b?.Dispose();
        Torch.SetNumThreads(1);
    }

    [Benchmark(Baseline = true)]
    public void ScratchRlMatMul() => _scratchRl.Run(MatMulKernel.Vector512);

    [Benchmark]
    public void LibTorchMatMul()
    {
        using Tensor c = _a!.matmul(_b!);
    }
}
