using System.Reflection;
using BenchmarkDotNet.Attributes;
using ScratchRl.Benchmarks;

namespace Benchmarks.Tests;

/// <summary>The benchmark classes of the suite, found the way BenchmarkSwitcher finds them: public classes with [Benchmark] methods.</summary>
internal static class SuiteShape
{
    public static IEnumerable<Type> BenchmarkClasses() =>
        typeof(MatMulSquareBenchmarks).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && BenchmarkMethods(t).Any())
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    public static IEnumerable<MethodInfo> BenchmarkMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.IsDefined(typeof(BenchmarkAttribute)));

    /// <summary>The method's categories, or one empty category when it has none.</summary>
    public static string[] Categories(MethodInfo method) =>
        method.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories ?? [""];
}
