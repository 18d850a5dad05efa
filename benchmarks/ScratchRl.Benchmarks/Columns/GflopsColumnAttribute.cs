using BenchmarkDotNet.Attributes;

namespace ScratchRl.Benchmarks.Columns;

/// <summary>
/// Adds the <see cref="GflopsColumn"/> and the <see cref="PeakFractionColumn"/> to a benchmark class. Usage:
/// <code>
/// [GflopsColumn]
/// public class MyBenchmarks : IFlopCount
/// {
///     [Params(128, 256)] public int N { get; set; }
///     public double Flops(string benchmark) => 2.0 * N * N * N;
///     [Benchmark] public void Run() { ... }
/// }
/// </code>
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly)]
public sealed class GflopsColumnAttribute : ColumnConfigBaseAttribute
{
    public GflopsColumnAttribute()
        : base(new GflopsColumn(), new PeakFractionColumn())
    {
    }
}
