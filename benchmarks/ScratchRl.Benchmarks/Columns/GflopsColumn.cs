using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ScratchRl.Benchmarks.Columns;

/// <summary>
/// A "GFLOP/s" column: the case's FLOPs per call (from <see cref="IFlopCount"/>) divided by the mean time of one call.
/// Attach it with <see cref="GflopsColumnAttribute"/> on a class that implements <see cref="IFlopCount"/>;
/// classes that do not implement it, and benchmarks whose count is 0, show "-".
/// </summary>
public sealed class GflopsColumn : IColumn
{
    private const BindingFlags AnyMember = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Throughput: floating-point operations of one call (an FMA counts 2) / mean time of one call, in 10^9 per second";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        GflopsOf(summary, benchmarkCase) is { } gflops ? gflops.ToString("N1", style.CultureInfo) : "-";

    /// <summary>GFLOP/s of a case in this summary, or null when it has no FLOP count or no result.</summary>
    public static double? GflopsOf(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? flops = FlopsOf(benchmarkCase);
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (flops is not > 0 || statistics is null || statistics.Mean <= 0)
            return null;
        // Statistics are per operation (nanoseconds); one call runs OperationsPerInvoke operations. FLOP/ns = GFLOP/s.
        double nanosecondsPerCall = statistics.Mean * benchmarkCase.Descriptor.OperationsPerInvoke;
        return flops.Value / nanosecondsPerCall;
    }

    /// <summary>FLOPs of one call of this case, or null when its class does not implement <see cref="IFlopCount"/>.</summary>
    public static double? FlopsOf(BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        if (!typeof(IFlopCount).IsAssignableFrom(type) || Activator.CreateInstance(type) is not IFlopCount instance)
            return null;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            object? target = parameter.IsStatic ? null : instance;
            if (type.GetProperty(parameter.Name, AnyMember) is { CanWrite: true } property)
                property.SetValue(target, parameter.Value);
            else
                type.GetField(parameter.Name, AnyMember)?.SetValue(target, parameter.Value);
        }
        return instance.Flops(benchmarkCase.Descriptor.WorkloadMethod.Name);
    }
}
