using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;

namespace TinyTorch.IO;

/// <summary>
/// Parses a whole safetensors file held in memory, trusting nothing before it is checked:
/// <code>
/// [u64 little-endian N][N bytes: UTF-8 JSON header][data buffer]
/// header = { "__metadata__": { str: str }, name: { "dtype": "F32", "shape": [d0, ...], "data_offsets": [begin, end] }, ... }
/// </code>
/// Offsets are relative to the data buffer. As in the reference reader, the entries must tile the buffer exactly:
/// sorted by offset, each starts where the previous one ends, the last ends at the end of the file,
/// and each spans dtype size × element count bytes.
/// </summary>
internal static class SafetensorsReader
{
    /// <summary>The reference reader's limit: a longer header is refused, not allocated.</summary>
    public const int MaxHeaderLength = 100_000_000;

    private readonly record struct EntryHeader(string Name, DType DType, int[] Shape, long Begin, long End);

    public static SafetensorsFile Parse(ReadOnlyMemory<byte> file, string source)
    {
        ReadOnlySpan<byte> span = file.Span;
        if (span.Length < 8)
            throw Error(source, $"the file is {span.Length} bytes long, shorter than the 8-byte header length every safetensors file starts with.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(span);
        if (headerLength > MaxHeaderLength)
            throw Error(source, $"the header length {headerLength} is over the {MaxHeaderLength}-byte limit (is this a safetensors file?).");
        if (headerLength > (ulong)(span.Length - 8))
            throw Error(source, $"the header length {headerLength} runs past the end of the file ({span.Length} bytes, so at most {span.Length - 8}).");

        int n = (int)headerLength;
        ReadOnlyMemory<byte> header = file.Slice(8, n);
        ReadOnlyMemory<byte> data = file[(8 + n)..];
        if (!Utf8.IsValid(header.Span))
            throw Error(source, "the header is not valid UTF-8.");

        using JsonDocument document = ParseJson(header, source);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw Error(source, $"the header is a JSON {Describe(root.ValueKind)}, expected an object.");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<EntryHeader>();
        OrderedDictionary<string, string>? metadata = null;
        try
        {
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Error(source, $"the header has the key '{property.Name}' twice (duplicate entry name).");
                if (property.Name == SafetensorsEntry.MetadataKey)
                    metadata = ParseMetadata(property.Value, source);
                else
                    entries.Add(ParseEntry(property.Name, property.Value, source, data.Length));
            }
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json refuses to turn a lone-surrogate escape such as "\ud800" into a string; so does serde_json.
            throw Error(source, $"the header holds a string that is not valid Unicode: {e.Message}");
        }

        // Python's reader orders entries by offset too; checking in that order finds overlaps and holes.
        entries.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        CheckTiling(entries, data.Length, source);

        var result = new SafetensorsEntry[entries.Count];
        for (int i = 0; i < result.Length; i++)
        {
            EntryHeader e = entries[i];
            result[i] = SafetensorsEntry.FromFile(e.Name, e.DType, e.Shape, data[(int)e.Begin..(int)e.End], source);
        }
        return new SafetensorsFile(result, metadata, source);
    }

    private static JsonDocument ParseJson(ReadOnlyMemory<byte> header, string source)
    {
        try
        {
            return JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Error(source, $"the header is not valid JSON: {e.Message}");
        }
    }

    private static OrderedDictionary<string, string>? ParseMetadata(JsonElement value, string source)
    {
        // The reference format reads a null __metadata__ as "no metadata".
        if (value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(source, $"{SafetensorsEntry.MetadataKey} is a JSON {Describe(value.ValueKind)}, expected an object of strings.");
        var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Error(source, $"{SafetensorsEntry.MetadataKey} value of '{item.Name}' is a JSON {Describe(item.Value.ValueKind)}, expected a string.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Error(source, $"{SafetensorsEntry.MetadataKey} has the key '{item.Name}' twice.");
        }
        return metadata;
    }

    private static EntryHeader ParseEntry(string name, JsonElement value, string source, int dataLength)
    {
        string where = $"entry '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(source, $"{where} is a JSON {Describe(value.ValueKind)}, expected an object with dtype, shape and data_offsets.");

        JsonElement? dtypeValue = null, shapeValue = null, offsetsValue = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype": dtypeValue = Once(dtypeValue, field, where, source); break;
                case "shape": shapeValue = Once(shapeValue, field, where, source); break;
                case "data_offsets": offsetsValue = Once(offsetsValue, field, where, source); break;
                default: break; // unknown fields are ignored, as the reference reader ignores them
            }
        }

        DType dtype = ParseDType(Required(dtypeValue, "dtype", where, source), where, source);
        int[] shape = ParseShape(Required(shapeValue, "shape", where, source), where, source);
        (long begin, long end) = ParseOffsets(Required(offsetsValue, "data_offsets", where, source), where, source);

        if (!SafetensorsEntry.TryCountElements(shape, out long count) || count > long.MaxValue / dtype.SizeInBytes())
            throw Error(source, $"{where} has shape {Tensor.FormatShape(shape)}, too large to exist.");
        long bytes = count * dtype.SizeInBytes();
        if (end - begin != bytes)
            throw Error(source,
                $"{where} is {dtype.ToHeaderName()} {Tensor.FormatShape(shape)}: {count} elements × {dtype.SizeInBytes()} bytes = {bytes} bytes, " +
                $"but its data_offsets [{begin}, {end}] span {end - begin} bytes.");
        if (end > dataLength)
            throw Error(source, $"{where} has data_offsets [{begin}, {end}] outside the data buffer of {dataLength} bytes.");
        return new EntryHeader(name, dtype, shape, begin, end);
    }

    private static JsonElement Once(JsonElement? current, JsonProperty field, string where, string source) =>
        current is null ? field.Value : throw Error(source, $"{where} has the field \"{field.Name}\" twice.");

    private static JsonElement Required(JsonElement? value, string field, string where, string source) =>
        value ?? throw Error(source, $"{where} is missing \"{field}\" (every entry needs dtype, shape and data_offsets).");

    private static DType ParseDType(JsonElement value, string where, string source)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw Error(source, $"{where} has a dtype that is a JSON {Describe(value.ValueKind)}, expected a string such as \"F32\".");
        string name = value.GetString()!;
        if (!DTypes.TryParse(name, out DType dtype))
            throw Error(source, $"{where} has the unknown dtype \"{name}\" (known: {DTypes.KnownNames}).");
        return dtype;
    }

    private static int[] ParseShape(JsonElement value, string where, string source)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Error(source, $"{where} has a shape that is a JSON {Describe(value.ValueKind)}, expected an array of dimensions.");
        var shape = new int[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long d))
                throw Error(source, $"{where} has shape {value.GetRawText()}: dimension {i} is not an integer.");
            if (d < 0)
                throw Error(source, $"{where} has shape {value.GetRawText()}: dimension {i} is negative ({d}).");
            if (d > int.MaxValue)
                throw Error(source, $"{where} has shape {value.GetRawText()}: dimension {i} ({d}) is over {int.MaxValue}.");
            shape[i++] = (int)d;
        }
        return shape;
    }

    private static (long Begin, long End) ParseOffsets(JsonElement value, string where, string source)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
            && value[0].ValueKind == JsonValueKind.Number && value[0].TryGetInt64(out long begin) && begin >= 0
            && value[1].ValueKind == JsonValueKind.Number && value[1].TryGetInt64(out long end) && end >= begin)
        {
            return (begin, end);
        }
        throw Error(source, $"{where} has data_offsets {value.GetRawText()}, expected two ascending non-negative integers [begin, end].");
    }

    /// <summary>Sorted by offset, the entries must cover [0, dataLength) with no overlap and no hole.</summary>
    private static void CheckTiling(List<EntryHeader> entries, int dataLength, string source)
    {
        long covered = 0;
        EntryHeader? previous = null;
        foreach (EntryHeader e in entries)
        {
            if (e.Begin < covered)
                throw Error(source,
                    $"entries '{previous!.Value.Name}' [{previous.Value.Begin}, {previous.Value.End}] and '{e.Name}' [{e.Begin}, {e.End}] overlap.");
            if (e.Begin > covered)
                throw Error(source,
                    $"bytes [{covered}, {e.Begin}) of the data buffer belong to no entry (a hole before '{e.Name}'); entries must cover the buffer exactly.");
            covered = e.End;
            previous = e;
        }
        if (covered != dataLength)
            throw Error(source,
                $"the data buffer has {dataLength} bytes but the entries cover only the first {covered}; entries must cover the buffer exactly.");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static SafetensorsException Error(string source, string message) => new($"{source}: {message}");
}
