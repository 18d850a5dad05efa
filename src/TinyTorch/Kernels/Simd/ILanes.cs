namespace TinyTorch.Kernels.Simd;

/// <summary>
/// A run of float lanes processed together: 16 (<see cref="Lanes512"/>), 8 (<see cref="Lanes256"/>), 4
/// (<see cref="Lanes128"/>) or 1 (<see cref="Lanes1"/>, the scalar tail). A kernel written once as a generic method over
/// <c>TLanes : ILanes&lt;TLanes&gt;</c> is compiled by the JIT once per width, every member inlined to the vector
/// instruction itself, so each formula has one source and one loop per width (the pattern of TensorPrimitives, whose
/// own ISimdVector is not public). Masks follow the vector convention: a lane is all ones (true) or all zeros (false).
/// </summary>
internal interface ILanes<TSelf> where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Floats per value.</summary>
    static abstract int Count { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(float value);

    /// <summary>Count floats from <c>source[offset..]</c>.</summary>
    static abstract TSelf Load(ref float source, nuint offset);

    /// <summary>Writes the lanes to <c>destination[offset..]</c>.</summary>
    static abstract void Store(TSelf value, ref float destination, nuint offset);

    static abstract TSelf operator +(TSelf left, TSelf right);

    static abstract TSelf operator -(TSelf left, TSelf right);

    static abstract TSelf operator *(TSelf left, TSelf right);

    static abstract TSelf operator /(TSelf left, TSelf right);

    /// <summary>Bitwise and: with a mask, keeps the lanes where the mask is true.</summary>
    static abstract TSelf operator &(TSelf left, TSelf right);

    static abstract TSelf Sqrt(TSelf value);

    static abstract TSelf Abs(TSelf value);

    /// <summary>The larger of each pair of lanes, as <see cref="MathF.Max(float, float)"/> (NaN if either is NaN; +0 over −0).</summary>
    static abstract TSelf Max(TSelf left, TSelf right);

    /// <summary>Mask of left &lt; right per lane.</summary>
    static abstract TSelf LessThan(TSelf left, TSelf right);

    /// <summary>Mask of left &gt; right per lane.</summary>
    static abstract TSelf GreaterThan(TSelf left, TSelf right);

    /// <summary>left &amp; ~right: with a mask as <paramref name="right"/>, zeroes the lanes where it is true.</summary>
    static abstract TSelf AndNot(TSelf left, TSelf right);
}
