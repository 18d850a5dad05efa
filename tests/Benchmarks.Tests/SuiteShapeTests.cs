using System.Reflection;
using BenchmarkDotNet.Attributes;
using ScratchRl.Benchmarks.Columns;

namespace Benchmarks.Tests;

/// <summary>What every benchmark class must have for its table to read as the docs say.</summary>
public class SuiteShapeTests
{
    private static IEnumerable<TestCaseData> Classes() =>
        SuiteShape.BenchmarkClasses().Select(type => new TestCaseData(type).SetArgDisplayNames(type.Name));

    [Test]
    public void TheSuiteHasEveryClassOfTheIssue()
    {
        string[] names = SuiteShape.BenchmarkClasses().Select(t => t.Name).ToArray();
        Assert.That(names, Is.SupersetOf(new[]
        {
            "MatMulSquareBenchmarks", "MatMulLargeSquareBenchmarks", "MatMulDqnBenchmarks", "PeakBenchmarks",
            "BackpropBenchmarks", "DqnUpdateBenchmarks", "ActionSelectionBenchmarks", "CartPoleBenchmarks", "ReplayBenchmarks",
        }));
    }

    [TestCaseSource(nameof(Classes))]
    public void ReportsAllocations(Type type)
    {
        Assert.That(type.IsDefined(typeof(MemoryDiagnoserAttribute)), $"{type.Name} has no [MemoryDiagnoser]");
    }

    /// <summary>Ratio reads "relative to the baseline" only when each group (the class, or each category) has exactly one.</summary>
    [TestCaseSource(nameof(Classes))]
    public void HasOneBaselinePerGroup(Type type)
    {
        var groups = SuiteShape.BenchmarkMethods(type)
            .SelectMany(m => SuiteShape.Categories(m).Select(category => (category, m.GetCustomAttribute<BenchmarkAttribute>()!.Baseline)))
            .GroupBy(x => x.category);
        foreach (var group in groups)
            Assert.That(group.Count(x => x.Baseline), Is.EqualTo(1), $"{type.Name}, category '{group.Key}': baselines");
    }

    /// <summary>A class that counts its FLOPs shows them, and a class that shows the column counts them.</summary>
    [TestCaseSource(nameof(Classes))]
    public void GflopsColumnGoesWithAFlopCount(Type type)
    {
        Assert.That(type.IsDefined(typeof(GflopsColumnAttribute)), Is.EqualTo(typeof(IFlopCount).IsAssignableFrom(type)),
            $"{type.Name}: [GflopsColumn] and IFlopCount come together");
    }
}
