using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;
using ScratchRl.Benchmarks.Columns;

namespace Benchmarks.Tests;

/// <summary>
/// Every benchmark class of the suite runs once, in this process, with BenchmarkDotNet's Dry job (one cold invocation
/// per case, no pilot, no statistics to speak of): a benchmark that throws, whose setup no longer matches the code, or
/// whose parameters produce no case fails here instead of rotting until the next full run. It says nothing about speed.
/// </summary>
public class DryRunTests
{
    private static IEnumerable<TestCaseData> Classes() =>
        SuiteShape.BenchmarkClasses().Select(type => new TestCaseData(type).SetArgDisplayNames(type.Name));

    [TestCaseSource(nameof(Classes))]
    public void EveryCaseRunsOnceAndProducesAResult(Type benchmarkClass)
    {
        var log = new AccumulationLogger();
        IConfig config = ManualConfig.CreateEmpty()
            .AddJob(Job.Dry.WithToolchain(InProcessNoEmitToolchain.Instance))
            .AddLogger(log)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(TestContext.CurrentContext.WorkDirectory, "BenchmarkDotNet.Artifacts"))
            // the suite's speed is not under test here; a Debug build of the tests must still run the cases
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);

        var clock = Stopwatch.StartNew();
        Summary summary = BenchmarkRunner.Run(benchmarkClass, config);
        TestContext.Out.WriteLine($"{benchmarkClass.Name}: {summary.BenchmarksCases.Length} cases in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.That(summary.HasCriticalValidationErrors, Is.False, $"validation errors:\n{string.Join("\n", summary.ValidationErrors.Select(e => e.Message))}");
        Assert.That(summary.BenchmarksCases, Is.Not.Empty, "the class produced no benchmark case");
        Assert.That(summary.Reports, Has.Length.EqualTo(summary.BenchmarksCases.Length), "one report per case");
        foreach (BenchmarkReport report in summary.Reports)
        {
            string name = report.BenchmarkCase.DisplayInfo;
            Assert.That(report.Success, Is.True, $"{name} failed:\n{log.GetLog()}");
            Assert.That(report.ResultStatistics, Is.Not.Null, $"{name} produced no measurement");
            Assert.That(report.ResultStatistics!.Mean, Is.GreaterThan(0), $"{name}: mean time");
            // where the class counts FLOPs, its GFLOP/s cell is a number (a cold call may round to 0.0), not "-"
            if (GflopsColumn.FlopsOf(report.BenchmarkCase) is > 0)
            {
                string cell = new GflopsColumn().GetValue(summary, report.BenchmarkCase, SummaryStyle.Default);
                Assert.That(double.TryParse(cell, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _), $"{name}: GFLOP/s cell '{cell}'");
            }
        }
    }
}
