namespace ScratchRl.Benchmarks.Charts;

/// <summary>The GFLOP/s of one benchmark class's cases, ready to draw: one row per (case, method).</summary>
/// <param name="ClassName">The benchmark class.</param>
/// <param name="Cpu">The processor the numbers were measured on.</param>
/// <param name="Job">The BenchmarkDotNet job (short, dry, default…), for the caption.</param>
/// <param name="Rows">Each measured case.</param>
public sealed record GflopsChart(string ClassName, string Cpu, string Job, IReadOnlyList<GflopsChart.Row> Rows)
{
    /// <param name="Group">The case's parameters (and category), e.g. <c>64</c> or <c>(128x4)·(4x128)</c>.</param>
    /// <param name="Method">The benchmark method, e.g. <c>Vector256</c>.</param>
    /// <param name="Gflops">Measured GFLOP/s.</param>
    /// <param name="Parameter">The case's first parameter value (a <see cref="MatMulCase"/> for the roofline), or null.</param>
    public sealed record Row(string Group, string Method, double Gflops, object? Parameter);
}
