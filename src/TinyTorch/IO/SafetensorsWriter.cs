using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TinyTorch.IO;

/// <summary>
/// Writes the bytes Python's <c>safetensors</c> writes for the same entries:
/// <list type="number">
/// <item>entries sorted by dtype, descending in the reference <c>Dtype</c> order (U64, I64, F64, F32, ..., BOOL), then by the UTF-8 bytes of the name;</item>
/// <item>data laid out in that order with no gaps, offsets counted from the start of the data buffer;</item>
/// <item>the header: compact JSON, <c>"__metadata__"</c> first when there is metadata, then the entries in layout order,
/// each as <c>{"dtype":..,"shape":[..],"data_offsets":[begin,end]}</c>, padded with spaces to a multiple of 8 bytes
/// so the data buffer starts 8-byte aligned.</item>
/// </list>
/// Strings are escaped as the reference writer (serde_json) escapes them for <c>"</c>, <c>\</c>, \b \f \n \r \t and any
/// printable text in the Basic Multilingual Plane; other control characters, DEL, U+2028/U+2029 and characters beyond
/// U+FFFF are escaped differently (still valid JSON that both read back to the same string).
/// Metadata keys are written in the caller's order: Python writes them in hash-map order, which varies between runs
/// once there are two or more keys.
/// </summary>
internal static class SafetensorsWriter
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The entries in layout order, the padded header, and the length of the whole file.</summary>
    internal sealed record Layout(SafetensorsEntry[] Entries, byte[] Header, long FileLength);

    public static Layout Prepare(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        SafetensorsEntry[] ordered = LayoutOrder(entries);
        byte[] header = Header(ordered, metadata);
        long length = 8 + header.Length;
        foreach (SafetensorsEntry entry in ordered)
            length += entry.Bytes.Length;
        return new Layout(ordered, header, length);
    }

    public static void Write(Stream stream, Layout layout)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)layout.Header.Length);
        stream.Write(length);
        stream.Write(layout.Header);
        foreach (SafetensorsEntry entry in layout.Entries)
            stream.Write(entry.Bytes.Span);
    }

    /// <summary>Sorted by dtype (descending reference order), then by the name's UTF-8 bytes.</summary>
    private static SafetensorsEntry[] LayoutOrder(IReadOnlyList<SafetensorsEntry> entries)
    {
        var layout = new SafetensorsEntry[entries.Count];
        for (int i = 0; i < layout.Length; i++)
            layout[i] = entries[i];
        Array.Sort(layout, static (a, b) =>
            a.DType != b.DType ? b.DType.CompareTo(a.DType) : a.Utf8Name.AsSpan().SequenceCompareTo(b.Utf8Name));
        return layout;
    }

    private static byte[] Header(SafetensorsEntry[] layout, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject(SafetensorsEntry.MetadataKey);
                foreach (KeyValuePair<string, string> item in metadata)
                    json.WriteString(item.Key, item.Value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (SafetensorsEntry entry in layout)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.DType.ToHeaderName());
                json.WriteStartArray("shape");
                foreach (int d in entry.Shape)
                    json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += entry.Bytes.Length;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        // Pad with spaces to a multiple of 8: the data buffer then starts 8-byte aligned in the file.
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        if (padded > SafetensorsReader.MaxHeaderLength)
            throw new SafetensorsException($"The header would be {padded} bytes, over the {SafetensorsReader.MaxHeaderLength}-byte limit readers accept.");
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }
}
