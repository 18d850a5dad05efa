using BenchmarkDotNet.Configs;
using ScratchRl.Benchmarks.Charts;

namespace ScratchRl.Benchmarks;

/// <summary>The suite's config: BenchmarkDotNet's defaults plus the charts (<see cref="ChartExporter"/>), one exporter for the whole run.</summary>
public static class SuiteConfig
{
    /// <summary>A new config with a new <see cref="ChartExporter"/> (it remembers the peaks measured earlier in the run).</summary>
    public static ManualConfig Create() => ManualConfig.Create(DefaultConfig.Instance).AddExporter(new ChartExporter());
}
