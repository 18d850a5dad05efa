using System.Text;
using System.Text.Json;
using TinyTorch.IO;

namespace TinyTorch.Tests.IO;

/// <summary>
/// The writer's bytes against layouts derived by hand from the format's rules (8-byte length, compact JSON,
/// space padding to a multiple of 8, __metadata__ first, entries by dtype then name). The first cases are the
/// examples of the reference implementation's own serialization tests, spelled out byte by byte.
/// </summary>
public class SafetensorsWriterFormatTests
{
    private static byte[] Expected(string header, params byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        bytes[0] = (byte)json.Length; // every header here is shorter than 256 bytes
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    // 0f, 1f, 2f, 3f, 4f, 5f as IEEE-754 single, little-endian: 1 = 0x3F800000, 2 = 0x40000000, 3 = 0x40400000, ...
    private static readonly byte[] ZeroToFive =
    [
        0, 0, 0, 0, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0xA0, 0x40,
    ];

    private static readonly float[] ZeroToFiveFloats = [0f, 1f, 2f, 3f, 4f, 5f];

    [Test]
    public void AHeaderThatIsAlreadyAMultipleOf8GetsNoPadding()
    {
        var file = new SafetensorsFile([SafetensorsEntry.FromArray<float>("attn.0", ZeroToFiveFloats, [1, 2, 3])]);
        byte[] expected = Expected("""{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}""", ZeroToFive);
        Assert.That(expected[0], Is.EqualTo(64));
        Assert.That(file.ToBytes(), Is.EqualTo(expected));
    }

    [Test]
    public void TheHeaderIsPaddedWithSpacesToAMultipleOf8()
    {
        var file = new SafetensorsFile([SafetensorsEntry.FromArray<float>("attn0", ZeroToFiveFloats, [1, 1, 2, 3])]);
        // 65 bytes of JSON + 7 spaces = 72.
        byte[] expected = Expected("""{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       """, ZeroToFive);
        Assert.That(expected[0], Is.EqualTo(72));
        Assert.That(file.ToBytes(), Is.EqualTo(expected));
    }

    [Test]
    public void AnEmptyFileIsAnEmptyObject()
    {
        Assert.That(new SafetensorsFile([]).ToBytes(), Is.EqualTo(Expected("{}      ")));
        var withMetadata = new SafetensorsFile([], new Dictionary<string, string> { ["framework"] = "pt" });
        Assert.That(withMetadata.ToBytes(), Is.EqualTo(Expected("""{"__metadata__":{"framework":"pt"}}     """)));
        Assert.That(new SafetensorsFile([], new Dictionary<string, string>()).ToBytes(), Is.EqualTo(Expected("""{"__metadata__":{}}     """)));
    }

    [Test]
    public void MetadataComesFirstAndEntriesFollowInLayoutOrder()
    {
        var file = new SafetensorsFile(
            [
                SafetensorsEntry.FromArray<float>("b", [1f], [1]),
                SafetensorsEntry.FromArray<long>("a", [1L], []),
            ],
            new Dictionary<string, string> { ["step"] = "7" });
        // I64 is laid out before F32 (reference Dtype order, descending), whatever the names say.
        string header = """{"__metadata__":{"step":"7"},"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""";
        header += new string(' ', (8 - header.Length % 8) % 8);
        Assert.That(file.ToBytes(), Is.EqualTo(Expected(header, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x3F)));
    }

    /// <summary>
    /// The reference writer sorts by its Dtype enum, descending: U64, I64, F64, F32, U32, I32, BF16, F16, U16, I16,
    /// F8_E4M3, F8_E5M2, I8, U8, BOOL. Names here run the other way so that sorting by name alone would fail.
    /// </summary>
    [Test]
    public void EntriesAreLaidOutByDescendingDTypeOrderThenName()
    {
        string[] expectedOrder =
            ["U64", "I64", "F64", "F32", "U32", "I32", "BF16", "F16", "U16", "I16", "F8_E4M3", "F8_E5M2", "I8", "U8", "BOOL"];
        var entries = new List<SafetensorsEntry>();
        for (int i = 0; i < expectedOrder.Length; i++)
        {
            Assert.That(DTypes.TryParse(expectedOrder[i], out DType dtype), Is.True, expectedOrder[i]);
            string name = $"{(char)('a' + expectedOrder.Length - 1 - i)}_{expectedOrder[i]}";
            entries.Add(SafetensorsEntry.FromBytes(name, dtype, [3], new byte[3 * dtype.SizeInBytes()]));
        }
        entries.Reverse();
        byte[] bytes = new SafetensorsFile(entries).ToBytes();

        // Read the header with plain System.Text.Json, not with the reader under test.
        int n = BitConverter.ToInt32(bytes, 0);
        using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(8, n));
        var names = header.RootElement.EnumerateObject().Select(p => p.Value.GetProperty("dtype").GetString()).ToArray();
        Assert.That(names, Is.EqualTo(expectedOrder));
        long expectedBegin = 0;
        foreach (JsonProperty p in header.RootElement.EnumerateObject())
        {
            long begin = p.Value.GetProperty("data_offsets")[0].GetInt64();
            Assert.That(begin, Is.EqualTo(expectedBegin), p.Name);
            expectedBegin = p.Value.GetProperty("data_offsets")[1].GetInt64();
        }
        Assert.That(bytes.Length, Is.EqualTo(8 + n + expectedBegin));
    }

    /// <summary>
    /// Names of one dtype sort by their UTF-8 bytes (Rust's string order), which differs from UTF-16 ordinal order:
    /// U+FF21 is EF BC A1 in UTF-8 but U+1F600 is F0 9F 98 80, while in UTF-16 the surrogate D83D sorts before FF21.
    /// </summary>
    [Test]
    public void NamesOfOneDTypeSortByUtf8Bytes()
    {
        string[] expected = ["10.weight", "2.weight", "B", "a", "b", "z", "é", "\uFF21", "\U0001F600"];
        Assert.That(string.CompareOrdinal("\U0001F600", "\uFF21"), Is.LessThan(0), "UTF-16 ordinal order disagrees");
        var entries = expected.Reverse().Select(name => SafetensorsEntry.FromArray<float>(name, [1f], [1]));
        byte[] bytes = new SafetensorsFile(entries).ToBytes();

        using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(8, BitConverter.ToInt32(bytes, 0)));
        Assert.That(header.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(expected));
    }

    /// <summary>serde_json escapes only " and \ and control characters (\n as \n) and writes other text as raw UTF-8.</summary>
    [Test]
    public void NamesAndMetadataAreEscapedAsSerdeJsonEscapesThem()
    {
        const string name = "q\"b\\c\nd\té€<>&'+";
        var file = new SafetensorsFile(
            [SafetensorsEntry.FromArray<float>(name, [], [0])],
            new Dictionary<string, string> { ["config"] = """{"lr": 0.001}""" });
        string json = Encoding.UTF8.GetString(file.ToBytes().AsSpan(8)).TrimEnd(' ');
        Assert.That(json, Is.EqualTo(
            """{"__metadata__":{"config":"{\"lr\": 0.001}"},"q\"b\\c\nd\té€<>&'+":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}"""));
    }
}
