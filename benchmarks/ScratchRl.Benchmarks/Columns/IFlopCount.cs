namespace ScratchRl.Benchmarks.Columns;

/// <summary>
/// Implemented by a benchmark class whose benchmarks do a known amount of floating-point work, so that
/// <see cref="GflopsColumn"/> can report throughput. Count a fused multiply-add as 2 FLOPs (the usual convention:
/// an m×k by k×n matmul is 2·m·k·n FLOPs).
/// </summary>
public interface IFlopCount
{
    /// <summary>
    /// FLOPs done by one call of the benchmark method named <paramref name="benchmark"/>. The column calls this on a
    /// fresh instance whose [Params]/[ParamsSource] members are already set to the case's values, so it may read them;
    /// it must not depend on [GlobalSetup] having run. Return 0 for a benchmark whose FLOPs are not defined (an optimizer
    /// step, a copy): its cell shows "-".
    /// </summary>
    double Flops(string benchmark);
}
