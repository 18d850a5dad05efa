namespace TinyTorch.IO;

/// <summary>What each <see cref="DType"/> is called in a file header, its size, and which .NET element type holds it.</summary>
public static class DTypes
{
    private static readonly string[] HeaderNames =
        ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"];

    private static readonly int[] Sizes = [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 8, 8, 8];

    /// <summary>Every header name, for error messages.</summary>
    public static string KnownNames => string.Join(", ", HeaderNames);

    /// <summary>Bytes per element.</summary>
    public static int SizeInBytes(this DType dtype) => Sizes[Index(dtype)];

    /// <summary>The name written in the header, e.g. <c>"F32"</c>.</summary>
    public static string ToHeaderName(this DType dtype) => HeaderNames[Index(dtype)];

    /// <summary>Parses a header name (exact, case-sensitive, as the reference reader does).</summary>
    public static bool TryParse(string name, out DType dtype)
    {
        int i = Array.IndexOf(HeaderNames, name);
        dtype = i >= 0 ? (DType)i : default;
        return i >= 0;
    }

    /// <summary>
    /// The dtype stored as .NET type <typeparamref name="T"/>: float F32, double F64, long I64, int I32, short I16,
    /// sbyte I8, byte U8, ushort U16, uint U32, ulong U64, Half F16, bool BOOL.
    /// BF16 and the F8 types have no .NET element type: they are reached through raw bytes.
    /// </summary>
    public static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.F32;
        if (typeof(T) == typeof(double)) return DType.F64;
        if (typeof(T) == typeof(long)) return DType.I64;
        if (typeof(T) == typeof(int)) return DType.I32;
        if (typeof(T) == typeof(short)) return DType.I16;
        if (typeof(T) == typeof(sbyte)) return DType.I8;
        if (typeof(T) == typeof(byte)) return DType.U8;
        if (typeof(T) == typeof(ushort)) return DType.U16;
        if (typeof(T) == typeof(uint)) return DType.U32;
        if (typeof(T) == typeof(ulong)) return DType.U64;
        if (typeof(T) == typeof(Half)) return DType.F16;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        throw new NotSupportedException(
            $"{typeof(T).Name} has no safetensors dtype; BF16 and F8 data go through SafetensorsEntry.FromBytes and Bytes.");
    }

    private static int Index(DType dtype)
    {
        int i = (int)dtype;
        if ((uint)i >= (uint)HeaderNames.Length)
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, $"Not a safetensors dtype (known: {KnownNames}).");
        return i;
    }
}
