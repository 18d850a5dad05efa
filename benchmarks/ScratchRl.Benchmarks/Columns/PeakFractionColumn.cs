using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ScratchRl.Benchmarks.Columns;

/// <summary>
/// A "% of peak" column: a case's GFLOP/s (<see cref="GflopsColumn"/>) as a fraction of the highest FMA peak that
/// <see cref="PeakBenchmarks"/> measured in the same summary, so a kernel is judged against the ceiling of the very
/// run (same machine, same load). Shows "-" when the summary holds no peak: run the classes together with
/// <c>--join</c>, e.g. <c>--filter '*DqnTrainingUpdateBenchmarks*' '*PeakBenchmarks*' --join</c>.
/// </summary>
public sealed class PeakFractionColumn : IColumn
{
    /// <summary>
    /// A peak loop runs a million FMA steps (milliseconds); one that took under a microsecond returned at once because
    /// the CPU lacks that vector width (or it was disabled with DOTNET_Enable*), so it is no ceiling.
    /// </summary>
    private const double MinPeakNanoseconds = 1_000;

    public string Id => nameof(PeakFractionColumn);

    public string ColumnName => "% of peak";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "GFLOP/s as a percentage of the highest FMA peak (PeakBenchmarks) measured in the same summary";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? peak = Peak(summary);
        double? gflops = GflopsColumn.GflopsOf(summary, benchmarkCase);
        if (peak is not > 0 || gflops is null)
            return "-";
        return (100 * gflops.Value / peak.Value).ToString("N1", style.CultureInfo);
    }

    /// <summary>The highest GFLOP/s among the summary's <see cref="PeakBenchmarks"/> rows that really ran, or null.</summary>
    public static double? Peak(Summary summary)
    {
        double? best = null;
        foreach (BenchmarkReport report in summary.Reports)
        {
            BenchmarkCase c = report.BenchmarkCase;
            if (c.Descriptor.Type != typeof(PeakBenchmarks) || report.ResultStatistics is not { } statistics
                || statistics.Mean * c.Descriptor.OperationsPerInvoke < MinPeakNanoseconds)
                continue;
            if (GflopsColumn.GflopsOf(summary, c) is { } gflops && (best is null || gflops > best))
                best = gflops;
        }
        return best;
    }
}
