using TinyTorch.Kernels.Simd;

namespace TinyTorch.Tests.Kernels;

/// <summary>
/// The sizes and widths every vectorised body is held to its plain twin on: 1 to 70 elements (below, at and past one,
/// two and four vectors of every width, so each body and each tail runs) and one size over 17,000 (a 17k-parameter
/// network's largest tensor, with a tail of 7). Every width is forced, so a body the CPU would skip still runs (the
/// runtime emulates a width it lacks, exactly).
/// </summary>
internal static class TwinSizes
{
    public const int Large = 17_031;

    public static IEnumerable<int> Sizes => Enumerable.Range(1, 70).Append(Large);

    public static readonly VectorWidth[] Widths = [VectorWidth.Bits512, VectorWidth.Bits256, VectorWidth.Bits128, VectorWidth.Scalar];
}
