using System.Diagnostics.CodeAnalysis;

namespace TinyTorch.IO;

/// <summary>
/// A safetensors file in memory: named entries (<see cref="SafetensorsEntry"/>) plus optional string metadata.
/// <see cref="Read(string)"/> validates a file completely before returning it; <see cref="Write"/> produces the bytes
/// Python's <c>safetensors</c> produces for the same entries (see <see cref="ToBytes"/>), written atomically.
/// <para>Order: a file that was read lists its entries in layout order (by data offset), which for files written by
/// Python or by this class is dtype (descending: I64 before F64 before F32 ...) then name by UTF-8 bytes — so
/// <c>"10.weight"</c> comes before <c>"2.weight"</c>. Look entries up by name, never by position.
/// A file built in memory keeps the order it was given; writing sorts.</para>
/// </summary>
public sealed class SafetensorsFile
{
    private readonly SafetensorsEntry[] _entries;
    private readonly Dictionary<string, SafetensorsEntry> _byName;

    /// <summary>
    /// Entries (names must be distinct) and optional metadata; null metadata writes no <c>__metadata__</c>,
    /// empty metadata writes <c>"__metadata__":{}</c> as Python does for <c>metadata={}</c>.
    /// </summary>
    public SafetensorsFile(IEnumerable<SafetensorsEntry> entries, IEnumerable<KeyValuePair<string, string>>? metadata = null)
        : this(entries, metadata, source: null)
    {
    }

    internal SafetensorsFile(IEnumerable<SafetensorsEntry> entries, IEnumerable<KeyValuePair<string, string>>? metadata, string? source)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [.. entries];
        _byName = new Dictionary<string, SafetensorsEntry>(_entries.Length, StringComparer.Ordinal);
        foreach (SafetensorsEntry entry in _entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            if (!_byName.TryAdd(entry.Name, entry))
                throw new ArgumentException($"The entry name '{entry.Name}' appears twice.", nameof(entries));
        }
        Metadata = metadata is null ? null : CopyMetadata(metadata);
        Source = source;
    }

    /// <summary>Every tensor, in the file's layout order (dtype descending, then name).</summary>
    public IReadOnlyList<SafetensorsEntry> Entries => _entries;

    /// <summary>The <c>__metadata__</c> strings in file order, or null when the file has none.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; }

    /// <summary>Where the file was read from (named in error messages); null when built in memory.</summary>
    public string? Source { get; }

    /// <summary>The entry called <paramref name="name"/>; a missing name throws, listing the names the file has.</summary>
    public SafetensorsEntry this[string name] =>
        TryGetEntry(name, out SafetensorsEntry? entry)
            ? entry
            : throw new KeyNotFoundException(
                $"{Source ?? "safetensors data"}: no entry '{name}' (entries: {string.Join(", ", _entries.Select(e => e.Name))}).");

    /// <summary>The entry called <paramref name="name"/>; false when the file has none.</summary>
    public bool TryGetEntry(string name, [MaybeNullWhen(false)] out SafetensorsEntry entry) => _byName.TryGetValue(name, out entry);

    /// <summary>True when the file has an entry called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Reads and validates a file; every error names <paramref name="path"/>.</summary>
    public static SafetensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return SafetensorsReader.Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses a whole file held in memory (not copied: entries refer to <paramref name="bytes"/>).</summary>
    public static SafetensorsFile Read(ReadOnlyMemory<byte> bytes, string source = "safetensors data") =>
        SafetensorsReader.Parse(bytes, source);

    /// <summary>Reads <paramref name="stream"/> to its end and parses it.</summary>
    public static SafetensorsFile Read(Stream stream, string source = "safetensors stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        return SafetensorsReader.Parse(copy.GetBuffer().AsMemory(0, (int)copy.Length), source);
    }

    /// <summary>Writes the file atomically (<see cref="AtomicFile"/>): the old file stays intact if anything fails.</summary>
    public void Write(string path) => AtomicFile.Write(path, WriteTo);

    /// <summary>Writes the file's bytes to <paramref name="stream"/>: the 8-byte little-endian header length, the JSON header, then the data.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SafetensorsWriter.Write(stream, SafetensorsWriter.Prepare(_entries, Metadata));
    }

    /// <summary>The file's bytes, identical to Python's <c>safetensors.torch.save(...)</c> for the same entries and metadata.</summary>
    public byte[] ToBytes()
    {
        SafetensorsWriter.Layout layout = SafetensorsWriter.Prepare(_entries, Metadata);
        if (layout.FileLength > Array.MaxLength)
            throw new InvalidOperationException($"The file would be {layout.FileLength} bytes, more than one array can hold; write it to a stream instead.");
        var bytes = new byte[layout.FileLength];
        SafetensorsWriter.Write(new MemoryStream(bytes), layout);
        return bytes;
    }

    /// <summary>F32 entries from a state dict (PyTorch's <c>module.state_dict()</c>: name → tensor), values copied.</summary>
    public static SafetensorsFile FromStateDict(
        IEnumerable<KeyValuePair<string, Tensor>> stateDict, IEnumerable<KeyValuePair<string, string>>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var entries = new List<SafetensorsEntry>();
        foreach (KeyValuePair<string, Tensor> item in stateDict)
            entries.Add(SafetensorsEntry.FromTensor(item.Key, item.Value));
        return new SafetensorsFile(entries, metadata);
    }

    /// <summary>Every entry as a tensor, in <see cref="Entries"/> order; every entry must be F32.</summary>
    public OrderedDictionary<string, Tensor> ToStateDict()
    {
        var stateDict = new OrderedDictionary<string, Tensor>(_entries.Length, StringComparer.Ordinal);
        foreach (SafetensorsEntry entry in _entries)
            stateDict.Add(entry.Name, entry.ToTensor());
        return stateDict;
    }

    private static OrderedDictionary<string, string> CopyMetadata(IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var copy = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> item in metadata)
        {
            if (item.Key is null || item.Value is null)
                throw new ArgumentException("Metadata keys and values must not be null.", nameof(metadata));
            if (!copy.TryAdd(item.Key, item.Value))
                throw new ArgumentException($"The metadata key '{item.Key}' appears twice.", nameof(metadata));
        }
        return copy;
    }
}
