using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinyTorch.IO;

/// <summary>
/// Bulk copies between typed spans and the little-endian bytes of a file. On little-endian machines (x64, Arm64)
/// a copy is a plain memcpy; on big-endian ones each element is byte-swapped after the copy.
/// </summary>
internal static class LittleEndian
{
    public static void Write<T>(ReadOnlySpan<T> values, Span<byte> destination) where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        bytes.CopyTo(destination);
        if (!BitConverter.IsLittleEndian)
            ReverseEachElement(destination[..bytes.Length], Unsafe.SizeOf<T>());
    }

    public static void Read<T>(ReadOnlySpan<byte> source, Span<T> values) where T : unmanaged
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(values);
        source.CopyTo(bytes);
        if (!BitConverter.IsLittleEndian)
            ReverseEachElement(bytes, Unsafe.SizeOf<T>());
    }

    /// <summary>Reverses the byte order of every <paramref name="elementSize"/>-byte element in place.</summary>
    internal static void ReverseEachElement(Span<byte> bytes, int elementSize)
    {
        switch (elementSize)
        {
            case 1:
                break;
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(elementSize), elementSize, "Element size must be 1, 2, 4 or 8 bytes.");
        }
    }
}
