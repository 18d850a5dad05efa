using BenchmarkDotNet.Attributes;
using ScratchRl.Benchmarks.Columns;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace ScratchRl.Benchmarks;

/// <summary>
/// Main-memory bandwidth of one core, the slanted roof of the roofline chart: streams over arrays of 64 MiB each
/// (twice the 32 MiB L3 of the EPYC the docs' numbers come from), so every pass comes from DRAM. Sum only reads
/// (4 bytes per element); Triad is STREAM's a = b + s·c (12 bytes per element counted, as STREAM counts them; the
/// write-allocate read of a is not). Run: <c>--filter '*Bandwidth*'</c>.
/// </summary>
[MemoryDiagnoser]
public class BandwidthBenchmarks : IByteCount
{
    private const int Length = 16 << 20;
    private float[] _a = null!, _b = null!, _c = null!;

    public double Bytes(string benchmark) => (benchmark == nameof(Triad) ? 12.0 : 4.0) * Length;

    [GlobalSetup]
    public void Setup()
    {
        _a = new float[Length];
        _b = new float[Length];
        _c = new float[Length];
        for (int i = 0; i < Length; i++)
        {
            _b[i] = i % 7;
            _c[i] = i % 5;
        }
    }

    [Benchmark(Baseline = true)]
    public float Sum() => TensorPrimitives.Sum(_b);

    [Benchmark]
    public void Triad() => TensorPrimitives.MultiplyAdd(_c, 3f, _b, _a);
}
