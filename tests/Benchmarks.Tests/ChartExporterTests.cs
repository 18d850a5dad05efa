using System.Globalization;
using System.Xml.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;
using ScratchRl.Benchmarks;
using ScratchRl.Benchmarks.Charts;
using ScratchRl.Benchmarks.Columns;

namespace Benchmarks.Tests;

/// <summary>
/// The suite's charts, from Dry runs in this process (as <see cref="DryRunTests"/> runs them) with the suite's config:
/// a GFLOP/s class leaves <c>&lt;Class&gt;-gflops.svg</c> in results, one bar per case with the column's value, and the
/// FMA peak appears as a line when <see cref="PeakBenchmarks"/> ran in the same run.
/// </summary>
public class ChartExporterTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static IConfig DryConfig(string artifacts) => SuiteConfig.Create()
        .AddJob(Job.Dry.WithToolchain(InProcessNoEmitToolchain.Instance))
        .AddLogger(new AccumulationLogger())
        .WithArtifactsPath(artifacts)
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);

    private static string Artifacts(string name)
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ChartArtifacts", name);
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
        return path;
    }

    [Test]
    public void ADryRunOfMatMulSquareLeavesAGflopsChartWithOneBarPerCase()
    {
        Summary summary = BenchmarkRunner.Run<MatMulSquareBenchmarks>(DryConfig(Artifacts("square")));

        string path = Path.Combine(summary.ResultsDirectoryPath, "MatMulSquareBenchmarks-gflops.svg");
        Assert.That(File.Exists(path), $"{path} written");
        XDocument svg = XDocument.Load(path);
        var bars = svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        Assert.That(bars, Has.Count.EqualTo(summary.Reports.Length));
        foreach (BenchmarkReport report in summary.Reports)
        {
            string method = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo;
            string group = $"Size = {report.BenchmarkCase.Parameters["Size"]}";
            var bar = bars.Single(b => (string?)b.Attribute("data-method") == method && (string?)b.Attribute("data-group") == group);
            double expected = GflopsColumn.FlopsOf(report.BenchmarkCase)!.Value / (report.ResultStatistics!.Mean * report.BenchmarkCase.Descriptor.OperationsPerInvoke);
            Assert.That(double.Parse((string)bar.Attribute("data-gflops")!, CultureInfo.InvariantCulture), Is.EqualTo(expected).Within(1e-9).Percent, $"{method}, {group}");
        }
        Assert.That(svg.Descendants(Svg + "line").Any(l => (string?)l.Attribute("class") == "peak"), Is.False, "no peak was measured in this run");
        Assert.That(svg.Descendants(Svg + "text").Single(t => (string?)t.Attribute("class") == "cpu").Value, Does.Contain("logical core"));
    }

    [Test]
    public void ThePeakMeasuredInTheSameRunIsDrawnAsALine()
    {
        Summary[] summaries = BenchmarkRunner.Run([typeof(MatMulSquareBenchmarks), typeof(PeakBenchmarks)], DryConfig(Artifacts("with-peak")));

        string path = Path.Combine(summaries[0].ResultsDirectoryPath, "MatMulSquareBenchmarks-gflops.svg");
        var peaks = XDocument.Load(path).Descendants(Svg + "line").Where(l => (string?)l.Attribute("class") == "peak").ToList();
        int supported = (System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? 1 : 0) + (System.Runtime.Intrinsics.X86.Fma.IsSupported ? 1 : 0)
            + (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? 1 : 0);
        Assert.That(peaks, Has.Count.EqualTo(supported), "one line per FMA width this CPU has");
        Assert.That(File.Exists(Path.Combine(summaries[0].ResultsDirectoryPath, "PeakBenchmarks-gflops.svg")), "the peak class has a chart of its own");
    }

    [Test]
    public void RooflineIntensityCountsEachMatrixOnce()
    {
        // (128x128)·(128x128): 2·128³ FLOPs over 3·128² floats of 4 bytes = 128/6 FLOP/byte.
        Assert.That(RooflineSvg.Intensity(new MatMulCase(MatMulForm.AB, 128, 128, 128)), Is.EqualTo(128.0 / 6).Within(1e-12));
        // (1x4)·(4x128): 1024 FLOPs over (4 + 512 + 128)·4 bytes.
        Assert.That(RooflineSvg.Intensity(new MatMulCase(MatMulForm.AB, 1, 4, 128)), Is.EqualTo(1024.0 / 2576).Within(1e-12));
    }
}
