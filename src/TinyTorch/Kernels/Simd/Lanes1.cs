using System.Runtime.CompilerServices;

namespace TinyTorch.Kernels.Simd;

/// <summary>
/// One float: the scalar tail of a kernel written over <see cref="ILanes{TSelf}"/>, and the whole kernel where no vector
/// width is wanted. Masks are the float whose bits are all ones (true) or all zeros (false), as in a vector lane.
/// </summary>
internal readonly struct Lanes1(float value) : ILanes<Lanes1>
{
    private static readonly float True = BitConverter.Int32BitsToSingle(-1);

    public float Value { get; } = value;

    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Create(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Load(ref float source, nuint offset) => new(Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes1 value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value.Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator +(Lanes1 left, Lanes1 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator -(Lanes1 left, Lanes1 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator *(Lanes1 left, Lanes1 right) => new(left.Value * right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator /(Lanes1 left, Lanes1 right) => new(left.Value / right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator &(Lanes1 left, Lanes1 right) =>
        new(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(left.Value) & BitConverter.SingleToInt32Bits(right.Value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Sqrt(Lanes1 value) => new(MathF.Sqrt(value.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Abs(Lanes1 value) => new(MathF.Abs(value.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Max(Lanes1 left, Lanes1 right) => new(MathF.Max(left.Value, right.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 LessThan(Lanes1 left, Lanes1 right) => new(left.Value < right.Value ? True : 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 GreaterThan(Lanes1 left, Lanes1 right) => new(left.Value > right.Value ? True : 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 AndNot(Lanes1 left, Lanes1 right) =>
        new(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(left.Value) & ~BitConverter.SingleToInt32Bits(right.Value)));
}
