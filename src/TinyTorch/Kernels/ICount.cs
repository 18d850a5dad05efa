namespace TinyTorch.Kernels;

/// <summary>
/// A compile-time integer. A kernel generic over <c>TCount : struct, ICount</c> is compiled once per count,
/// and each <c>if (TCount.Value &gt; r)</c> folds away, so one source serves every tile height
/// without branches or spilled accumulators in the inner loop.
/// </summary>
internal interface ICount
{
    static abstract int Value { get; }
}

internal readonly struct Count1 : ICount { public static int Value => 1; }

internal readonly struct Count2 : ICount { public static int Value => 2; }

internal readonly struct Count3 : ICount { public static int Value => 3; }

internal readonly struct Count4 : ICount { public static int Value => 4; }

internal readonly struct Count5 : ICount { public static int Value => 5; }

internal readonly struct Count6 : ICount { public static int Value => 6; }

internal readonly struct Count7 : ICount { public static int Value => 7; }

internal readonly struct Count8 : ICount { public static int Value => 8; }
