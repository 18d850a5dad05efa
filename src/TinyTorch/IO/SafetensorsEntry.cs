using System.Numerics.Tensors;
using System.Text;

namespace TinyTorch.IO;

/// <summary>
/// One named tensor of a safetensors file: its dtype, its shape and its raw little-endian bytes (row-major).
/// Create one from typed data (<see cref="FromTensor"/>, <see cref="FromArray{T}"/>) or raw bytes (<see cref="FromBytes"/>);
/// read one back as typed data, with an error naming the entry, its file and both dtypes when the dtype is not the one asked for.
/// The factories copy their input, so an entry is a snapshot: later changes to a tensor do not reach it.
/// </summary>
public sealed class SafetensorsEntry
{
    /// <summary>The header key reserved for the file's string metadata; no tensor may use it.</summary>
    public const string MetadataKey = "__metadata__";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly int[] _shape;

    private SafetensorsEntry(string name, byte[] utf8Name, DType dtype, int[] shape, ReadOnlyMemory<byte> bytes, string? source)
    {
        Name = name;
        Utf8Name = utf8Name;
        DType = dtype;
        _shape = shape;
        Bytes = bytes;
        Source = source;
        Count = bytes.Length / dtype.SizeInBytes();
    }

    /// <summary>The tensor's name in the file, e.g. <c>0.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of elements (the product of the shape; 1 for a scalar of shape []).</summary>
    public int Count { get; }

    /// <summary>The elements as stored in the file: little-endian, row-major, <see cref="Count"/> × dtype size bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The file this entry was read from, named in error messages; null for an entry built in memory.</summary>
    public string? Source { get; }

    /// <summary>The name as UTF-8 bytes: the writer orders names by these bytes, as the reference writer does.</summary>
    internal byte[] Utf8Name { get; }

    /// <summary>An F32 entry holding a copy of <paramref name="tensor"/>'s values and shape.</summary>
    public static SafetensorsEntry FromTensor(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return FromArray<float>(name, tensor.Data, tensor.Shape);
    }

    /// <summary>
    /// An entry holding a copy of <paramref name="values"/>, with the dtype of <typeparamref name="T"/>
    /// (see <see cref="DTypes.Of{T}"/>: long → I64, float → F32, ...).
    /// </summary>
    public static SafetensorsEntry FromArray<T>(string name, ReadOnlySpan<T> values, ReadOnlySpan<int> shape) where T : unmanaged
    {
        DType dtype = DTypes.Of<T>();
        byte[] utf8Name = ValidateName(name);
        int[] shapeCopy = ValidateShape(name, dtype, shape, values.Length, "values");
        var bytes = new byte[values.Length * dtype.SizeInBytes()];
        LittleEndian.Write(values, bytes);
        return new SafetensorsEntry(name, utf8Name, dtype, shapeCopy, bytes, source: null);
    }

    /// <summary>An entry of any dtype from a copy of its little-endian bytes (the way to build BF16 and F8 entries).</summary>
    public static SafetensorsEntry FromBytes(string name, DType dtype, ReadOnlySpan<int> shape, ReadOnlySpan<byte> littleEndianBytes)
    {
        byte[] utf8Name = ValidateName(name);
        int size = dtype.SizeInBytes();
        if (littleEndianBytes.Length % size != 0)
            throw new ArgumentException(
                $"Entry '{name}': {littleEndianBytes.Length} bytes is not a whole number of {dtype.ToHeaderName()} elements of {size} bytes.",
                nameof(littleEndianBytes));
        int[] shapeCopy = ValidateShape(name, dtype, shape, littleEndianBytes.Length / size, "bytes");
        return new SafetensorsEntry(name, utf8Name, dtype, shapeCopy, littleEndianBytes.ToArray(), source: null);
    }

    /// <summary>An entry over a slice of a file already validated by the reader (not copied).</summary>
    internal static SafetensorsEntry FromFile(string name, DType dtype, int[] shape, ReadOnlyMemory<byte> bytes, string source) =>
        new(name, StrictUtf8.GetBytes(name), dtype, shape, bytes, source);

    /// <summary>The elements as <typeparamref name="T"/>; the entry's dtype must be exactly <see cref="DTypes.Of{T}"/>.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        DType expected = DTypes.Of<T>();
        if (DType != expected)
            throw WrongDType(expected.ToHeaderName());
        if (DType == DType.Bool && Bytes.Span.IndexOfAnyExcept((byte)0, (byte)1) is int bad and >= 0)
            throw new SafetensorsException($"{Where}: BOOL element {bad} is the byte {Bytes.Span[bad]}, expected 0 or 1.");
        var values = new T[Count];
        LittleEndian.Read(Bytes.Span, values.AsSpan());
        return values;
    }

    /// <summary>
    /// The elements as float32. An F32 entry is copied as is; with <paramref name="convert"/>, F64, F16 and BF16 entries
    /// are rounded to the nearest float32 as PyTorch's <c>.float()</c> does (F64 values beyond float range become ±∞).
    /// </summary>
    public float[] ToFloat32Array(bool convert = false)
    {
        if (DType == DType.F32)
            return ToArray<float>();
        if (!convert)
            throw WrongDType("F32");
        var result = new float[Count];
        switch (DType)
        {
            case DType.F64:
                TensorPrimitives.ConvertTruncating<double, float>(ToArray<double>(), result);
                break;
            case DType.F16:
                TensorPrimitives.ConvertToSingle(ToArray<Half>(), result);
                break;
            case DType.BF16:
                // A bfloat16 is the upper half of a float32: same sign and exponent, 7 of the 23 mantissa bits.
                ushort[] bits = new ushort[Count];
                LittleEndian.Read(Bytes.Span, bits.AsSpan());
                for (int i = 0; i < bits.Length; i++)
                    result[i] = BitConverter.UInt32BitsToSingle((uint)bits[i] << 16);
                break;
            default:
                throw WrongDType("F32 (or F64, F16, BF16 to convert)");
        }
        return result;
    }

    /// <summary>The elements of an I64 entry.</summary>
    public long[] ToInt64Array() => ToArray<long>();

    /// <summary>The elements of an I32 entry, or of an I64 entry narrowed to int (every value must fit).</summary>
    public int[] ToInt32Array()
    {
        if (DType == DType.I32)
            return ToArray<int>();
        if (DType != DType.I64)
            throw WrongDType("I32 (or I64 to narrow)");
        long[] wide = ToArray<long>();
        var result = new int[wide.Length];
        for (int i = 0; i < wide.Length; i++)
        {
            long v = wide[i];
            if (v is < int.MinValue or > int.MaxValue)
                throw new SafetensorsException($"{Where}: I64 element {i} is {v}, which does not fit in a 32-bit int.");
            result[i] = (int)v;
        }
        return result;
    }

    /// <summary>A TinyTorch tensor of this entry's shape (F32, or F64/F16/BF16 rounded with <paramref name="convert"/>).</summary>
    public Tensor ToTensor(bool convert = false) => new(ToFloat32Array(convert), _shape);

    /// <summary>"name: DTYPE [shape]".</summary>
    public override string ToString() => $"{Name}: {DType.ToHeaderName()} {Tensor.FormatShape(_shape)}";

    /// <summary>"file: entry 'name'" for messages; just "entry 'name'" for an entry built in memory.</summary>
    private string Where => Source is null ? $"entry '{Name}'" : $"{Source}: entry '{Name}'";

    private SafetensorsException WrongDType(string expected) =>
        new($"{Where} has dtype {DType.ToHeaderName()} {Tensor.FormatShape(_shape)}, but {expected} was asked for.");

    private static byte[] ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == MetadataKey)
            throw new ArgumentException($"'{MetadataKey}' is reserved for the file's metadata and cannot name a tensor.", nameof(name));
        try
        {
            return StrictUtf8.GetBytes(name);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"Entry name '{name}' is not valid Unicode text (a lone surrogate).", nameof(name), e);
        }
    }

    private static int[] ValidateShape(string name, DType dtype, ReadOnlySpan<int> shape, int count, string what)
    {
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Entry '{name}': shape {Tensor.FormatShape(shape)} has a negative dimension.", nameof(shape));
        }
        if (!TryCountElements(shape, out long product) || product != count)
            throw new ArgumentException(
                $"Entry '{name}': shape {Tensor.FormatShape(shape)} does not hold the {count} {dtype.ToHeaderName()} elements of the {what}.",
                what);
        return shape.ToArray();
    }

    /// <summary>The product of the dimensions; false when it overflows a long (the reference reader rejects that too).</summary>
    internal static bool TryCountElements(ReadOnlySpan<int> shape, out long count)
    {
        count = 1;
        foreach (int d in shape)
        {
            if (d != 0 && count > long.MaxValue / d)
                return false;
            count *= d;
        }
        return true;
    }
}
