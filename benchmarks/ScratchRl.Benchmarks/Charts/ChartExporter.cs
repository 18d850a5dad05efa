using System.Reflection;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ScratchRl.Benchmarks.Columns;
using TinyTorch.IO;

namespace ScratchRl.Benchmarks.Charts;

/// <summary>
/// Writes SVG charts into the run's <c>results/</c> folder: for every class with a GFLOP/s column,
/// <c>&lt;Class&gt;-gflops.svg</c> (<see cref="GflopsChartSvg"/>), with the FMA peaks as lines once
/// <see cref="PeakBenchmarks"/> has run in the same run; and <c>roofline.svg</c> (<see cref="RooflineSvg"/>) once the
/// peaks, the bandwidth (<see cref="BandwidthBenchmarks"/>) and <see cref="MatMulDqnBenchmarks"/> have all been measured.
/// BenchmarkDotNet exports each class's summary as it finishes; this exporter remembers what it has seen, so a chart
/// written before the peak was measured is written again with it.
/// </summary>
public sealed class ChartExporter : IExporter
{
    private readonly Dictionary<(string Folder, Type Type), GflopsChart> _charts = [];
    private readonly Dictionary<string, Dictionary<string, double>> _peaks = [], _bandwidths = [];
    private readonly object _gate = new();

    public string Name => nameof(ChartExporter);

    public void ExportToLog(Summary summary, ILogger logger)
    {
    }

    public IEnumerable<string> ExportToFiles(Summary summary, ILogger consoleLogger)
    {
        ArgumentNullException.ThrowIfNull(summary);
        string folder = summary.ResultsDirectoryPath;
        string cpu = CpuName(summary);
        lock (_gate)
        {
            foreach (var group in summary.Reports.Where(r => r.ResultStatistics is { Mean: > 0 }).GroupBy(r => r.BenchmarkCase.Descriptor.Type))
                Collect(folder, cpu, group.Key, [.. group], summary);
            var written = new List<string>();
            var peaks = _peaks.GetValueOrDefault(folder) ?? [];
            foreach (var ((chartFolder, type), chart) in _charts)
            {
                if (chartFolder != folder)
                    continue;
                string path = Path.Combine(folder, $"{type.Name}-gflops.svg");
                AtomicFile.WriteAllText(path, GflopsChartSvg.Render(chart, peaks));
                written.Add(path);
            }
            if (_charts.TryGetValue((folder, typeof(MatMulDqnBenchmarks)), out var dqn) && peaks.Count > 0
                && _bandwidths.TryGetValue(folder, out var bandwidths) && bandwidths.Count > 0)
            {
                string path = Path.Combine(folder, "roofline.svg");
                AtomicFile.WriteAllText(path, RooflineSvg.Render(dqn, peaks, bandwidths));
                written.Add(path);
            }
            return written;
        }
    }

    private void Collect(string folder, string cpu, Type type, List<BenchmarkReport> reports, Summary summary)
    {
        if (type == typeof(PeakBenchmarks))
        {
            var peaks = _peaks.TryGetValue(folder, out var p) ? p : _peaks[folder] = [];
            foreach (BenchmarkReport report in reports)
            {
                string method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
                if (PeakBenchmarks.IsMeasured(method) && Gflops(report) is { } gflops)
                    peaks[method] = gflops;
            }
        }
        if (typeof(IByteCount).IsAssignableFrom(type) && Activator.CreateInstance(type) is IByteCount bytes)
        {
            var bandwidths = _bandwidths.TryGetValue(folder, out var b) ? b : _bandwidths[folder] = [];
            foreach (BenchmarkReport report in reports)
            {
                string method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
                bandwidths[method] = bytes.Bytes(method) / NanosecondsPerCall(report);
            }
        }
        if (type.GetCustomAttribute<GflopsColumnAttribute>() is null)
            return;
        var rows = new List<GflopsChart.Row>();
        foreach (BenchmarkReport report in reports)
        {
            if (Gflops(report) is not { } gflops)
                continue;
            BenchmarkCase c = report.BenchmarkCase;
            string group = c.HasParameters ? string.Join(", ", c.Parameters.Items.Select(p => p.Value is IConvertible and not string ? $"{p.Name} = {p.Value}" : p.Value?.ToString() ?? "null")) : "";
            string category = string.Join(", ", c.Descriptor.Categories);
            object? parameter = c.HasParameters ? c.Parameters.Items[0].Value : null;
            rows.Add(new GflopsChart.Row(category.Length > 0 && group.Length > 0 ? $"{category}: {group}" : category + group,
                c.Descriptor.WorkloadMethodDisplayInfo, gflops, parameter));
        }
        if (rows.Count > 0)
            _charts[(folder, type)] = new GflopsChart(type.Name, cpu, JobName(summary), rows);
    }

    /// <summary>FLOPs of one call / mean time of one call (FLOP/ns = GFLOP/s), as <see cref="GflopsColumn"/> computes it; null without a FLOP count.</summary>
    private static double? Gflops(BenchmarkReport report) =>
        GflopsColumn.FlopsOf(report.BenchmarkCase) is > 0 and var flops ? flops / NanosecondsPerCall(report) : null;

    private static double NanosecondsPerCall(BenchmarkReport report) =>
        report.ResultStatistics!.Mean * report.BenchmarkCase.Descriptor.OperationsPerInvoke;

    /// <summary>The job's name without its settings: "ShortRun", "Dry", "DefaultJob".</summary>
    private static string JobName(Summary summary)
    {
        string job = summary.BenchmarksCases.FirstOrDefault()?.Job.DisplayInfo ?? "";
        int settings = job.IndexOf('(', StringComparison.Ordinal);
        return settings > 0 ? job[..settings] : job;
    }

    private static string CpuName(Summary summary)
    {
        string? name = summary.HostEnvironmentInfo.Cpu.Value?.ProcessorName;
        int cores = Environment.ProcessorCount;
        return $"{(string.IsNullOrWhiteSpace(name) ? "unknown CPU" : name.Trim())}, {cores} logical core{(cores == 1 ? "" : "s")}";
    }
}
