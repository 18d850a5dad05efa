using System.Buffers.Binary;
using System.Text;
using TinyTorch.IO;

namespace TinyTorch.Tests.IO;

/// <summary>Every malformed file is refused with a message that names the file, the entry and what is wrong.</summary>
public class SafetensorsCorruptFileTests
{
    private const string Source = "bad.safetensors";

    /// <summary>An 8-byte length (the header's own unless <paramref name="declaredLength"/> is given), the header, then zero data bytes.</summary>
    private static byte[] FileWith(string header, int dataBytes, ulong? declaredLength = null) =>
        FileWith(Encoding.UTF8.GetBytes(header), dataBytes, declaredLength);

    private static byte[] FileWith(byte[] header, int dataBytes, ulong? declaredLength = null)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static string Entry(string name, string dtype, string shape, string offsets) =>
        $$"""
        "{{name}}":{"dtype":"{{dtype}}","shape":{{shape}},"data_offsets":{{offsets}}}
        """;

    private static IEnumerable<TestCaseData> CorruptFiles()
    {
        TestCaseData Case(string name, byte[] file, string fragment) => new TestCaseData(file, fragment).SetName(name);

        yield return Case("EmptyFile", [], "the file is 0 bytes long, shorter than the 8-byte header length");
        yield return Case("SevenBytes", new byte[7], "the file is 7 bytes long");
        yield return Case("HeaderLengthPastTheEnd", FileWith("{}", 0, declaredLength: 3), "the header length 3 runs past the end of the file (10 bytes, so at most 2)");
        yield return Case("HeaderLengthOverTheLimit", FileWith("{}", 0, declaredLength: 100_000_001), "the header length 100000001 is over the 100000000-byte limit");
        yield return Case("HeaderLengthHuge", FileWith("{}", 0, declaredLength: ulong.MaxValue), "the header length 18446744073709551615 is over");
        yield return Case("InvalidUtf8", FileWith([(byte)'{', 0xFF, (byte)'}'], 0), "the header is not valid UTF-8");
        yield return Case("EmptyHeader", FileWith("", 0), "the header is not valid JSON");
        yield return Case("LoneSurrogateInAName", FileWith("{" + Entry("\\ud800", "U8", "[1]", "[0,1]") + "}", 1), "the header holds a string that is not valid Unicode");
        yield return Case("LoneSurrogateInMetadata", FileWith("""{"__metadata__":{"k":"\udc00"}}""", 0), "the header holds a string that is not valid Unicode");
        yield return Case("InvalidJson", FileWith("""{"a":""", 0), "the header is not valid JSON");
        yield return Case("TrailingGarbage", FileWith("{} x", 0), "the header is not valid JSON");
        yield return Case("NotAnObject", FileWith("[1,2]", 0), "the header is a JSON array, expected an object");
        yield return Case("EntryNotAnObject", FileWith("""{"w":[1]}""", 0), "entry 'w' is a JSON array, expected an object with dtype, shape and data_offsets");
        yield return Case("MissingDType", FileWith("""{"w":{"shape":[1],"data_offsets":[0,4]}}""", 4), "entry 'w' is missing \"dtype\"");
        yield return Case("MissingShape", FileWith("""{"w":{"dtype":"F32","data_offsets":[0,4]}}""", 4), "entry 'w' is missing \"shape\"");
        yield return Case("MissingOffsets", FileWith("""{"w":{"dtype":"F32","shape":[1]}}""", 4), "entry 'w' is missing \"data_offsets\"");
        yield return Case("RepeatedField", FileWith("""{"w":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4), "entry 'w' has the field \"dtype\" twice");
        yield return Case("DTypeNotAString", FileWith("{" + Entry("w", "F32", "[1]", "[0,4]").Replace("\"F32\"", "32") + "}", 4), "entry 'w' has a dtype that is a JSON number");
        yield return Case("UnknownDType", FileWith("{" + Entry("w", "F33", "[1]", "[0,4]") + "}", 4), "entry 'w' has the unknown dtype \"F33\" (known: BOOL, U8");
        yield return Case("LowerCaseDType", FileWith("{" + Entry("w", "f32", "[1]", "[0,4]") + "}", 4), "unknown dtype \"f32\"");
        yield return Case("ShapeNotAnArray", FileWith("{" + Entry("w", "F32", "\"1\"", "[0,4]") + "}", 4), "entry 'w' has a shape that is a JSON string");
        yield return Case("NegativeDimension", FileWith("{" + Entry("w", "F32", "[2,-1]", "[0,4]") + "}", 4), "entry 'w' has shape [2,-1]: dimension 1 is negative (-1)");
        yield return Case("FractionalDimension", FileWith("{" + Entry("w", "F32", "[1.5]", "[0,4]") + "}", 4), "dimension 0 is not an integer");
        yield return Case("HugeShape", FileWith("{" + Entry("w", "F32", "[2147483647,2147483647,2147483647]", "[0,4]") + "}", 4), "too large to exist");
        yield return Case("OneOffset", FileWith("{" + Entry("w", "F32", "[1]", "[4]") + "}", 4), "entry 'w' has data_offsets [4], expected two ascending non-negative integers");
        yield return Case("DescendingOffsets", FileWith("{" + Entry("w", "F32", "[1]", "[4,0]") + "}", 4), "data_offsets [4,0], expected two ascending");
        yield return Case("NegativeOffset", FileWith("{" + Entry("w", "F32", "[1]", "[-4,0]") + "}", 4), "data_offsets [-4,0], expected two ascending");
        yield return Case("WrongByteLength", FileWith("{" + Entry("w", "F32", "[3]", "[0,8]") + "}", 8),
            "entry 'w' is F32 [3]: 3 elements × 4 bytes = 12 bytes, but its data_offsets [0, 8] span 8 bytes");
        yield return Case("OutsideTheBuffer", FileWith("{" + Entry("w", "F32", "[8]", "[0,32]") + "}", 16),
            "entry 'w' has data_offsets [0, 32] outside the data buffer of 16 bytes");
        yield return Case("Overlap", FileWith("{" + Entry("a", "F32", "[4]", "[0,16]") + "," + Entry("b", "F32", "[4]", "[8,24]") + "}", 24),
            "entries 'a' [0, 16] and 'b' [8, 24] overlap");
        yield return Case("SameOffsetsTwice", FileWith("{" + Entry("a", "I32", "[2]", "[0,8]") + "," + Entry("b", "F32", "[2]", "[0,8]") + "}", 8),
            "entries 'a' [0, 8] and 'b' [0, 8] overlap");
        yield return Case("Hole", FileWith("{" + Entry("a", "F32", "[2]", "[0,8]") + "," + Entry("b", "F32", "[2]", "[16,24]") + "}", 24),
            "bytes [8, 16) of the data buffer belong to no entry (a hole before 'b')");
        yield return Case("HoleAtTheStart", FileWith("{" + Entry("a", "F32", "[2]", "[8,16]") + "}", 16), "bytes [0, 8) of the data buffer belong to no entry");
        yield return Case("TrailingBytes", FileWith("{" + Entry("a", "F32", "[2]", "[0,8]") + "}", 9),
            "the data buffer has 9 bytes but the entries cover only the first 8");
        yield return Case("DataWithoutEntries", FileWith("{}", 4), "the data buffer has 4 bytes but the entries cover only the first 0");
        yield return Case("DuplicateEntry", FileWith("{" + Entry("w", "F32", "[1]", "[0,4]") + "," + Entry("w", "F32", "[1]", "[4,8]") + "}", 8),
            "the header has the key 'w' twice (duplicate entry name)");
        yield return Case("DuplicateAfterEscaping", FileWith("{" + Entry("w", "F32", "[1]", "[0,4]") + "," + Entry("\\u0077", "F32", "[1]", "[4,8]") + "}", 8),
            "the header has the key 'w' twice");
        yield return Case("MetadataNotAnObject", FileWith("""{"__metadata__":"pt"}""", 0), "__metadata__ is a JSON string, expected an object of strings");
        yield return Case("MetadataValueNotAString", FileWith("""{"__metadata__":{"step":7}}""", 0), "__metadata__ value of 'step' is a JSON number, expected a string");
        yield return Case("MetadataDuplicateKey", FileWith("""{"__metadata__":{"a":"1","a":"2"}}""", 0), "__metadata__ has the key 'a' twice");
        yield return Case("MetadataTwice", FileWith("""{"__metadata__":{},"__metadata__":{}}""", 0), "the header has the key '__metadata__' twice");
    }

    [TestCaseSource(nameof(CorruptFiles))]
    public void IsRefusedWithAMessageNamingTheProblem(byte[] file, string fragment)
    {
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Read(file, Source));
        Assert.That(e!.Message, Does.StartWith(Source + ": "));
        Assert.That(e.Message, Does.Contain(fragment));
    }

    private static string ReferenceBatch =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "reference", "qupdate", "case00", "batch.safetensors");

    /// <summary>
    /// Python's case00 batch: 8 + 328 header bytes, then actions [0,256), dones [256,384), next_obs [384,896),
    /// obs [896,1408), rewards [1408,1536) — 1872 bytes in all.
    /// </summary>
    [TestCase(0, "the file is 0 bytes long")]
    [TestCase(5, "the file is 5 bytes long")]
    [TestCase(8, "the header length 328 runs past the end of the file (8 bytes, so at most 0)")]
    [TestCase(200, "the header length 328 runs past the end of the file (200 bytes")]
    [TestCase(336, "entry 'actions' has data_offsets [0, 256] outside the data buffer of 0 bytes")]
    [TestCase(636, "entry 'dones' has data_offsets [256, 384] outside the data buffer of 300 bytes")]
    [TestCase(1871, "entry 'rewards' has data_offsets [1408, 1536] outside the data buffer of 1535 bytes")]
    public void ATruncatedReferenceFileIsRefused(int keep, string fragment)
    {
        byte[] full = File.ReadAllBytes(ReferenceBatch);
        Assert.That(full, Has.Length.EqualTo(1872));
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Read(full.AsMemory(0, keep), "batch.safetensors"));
        Assert.That(e!.Message, Does.StartWith("batch.safetensors: ").And.Contain(fragment));
    }

    [Test]
    public void AnExtraByteAfterAReferenceFileIsRefused()
    {
        byte[] longer = [.. File.ReadAllBytes(ReferenceBatch), 0];
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Read(longer, "batch.safetensors"));
        Assert.That(e!.Message, Does.Contain("the data buffer has 1537 bytes but the entries cover only the first 1536"));
    }

    [Test]
    public void ReadingAPathNamesThePathInTheError()
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("scratchrl-st-");
        try
        {
            string path = Path.Combine(dir.FullName, "weights.safetensors");
            File.WriteAllBytes(path, FileWith("{" + Entry("0.weight", "F32", "[2,2]", "[0,8]") + "}", 8));
            var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Read(path));
            Assert.That(e!.Message, Does.StartWith(path + ": entry '0.weight' is F32 [2, 2]: 4 elements × 4 bytes = 16 bytes"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>What the reference reader accepts, this one accepts too: extra fields, null metadata, leading spaces.</summary>
    [Test]
    public void LenientWhereTheReferenceReaderIsLenient()
    {
        byte[] file = FileWith(""" {"__metadata__":null,"w":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"note":"x"}}""", 2);
        SafetensorsFile read = SafetensorsFile.Read(file, Source);
        Assert.That(read.Metadata, Is.Null);
        Assert.That(read["w"].ToArray<byte>(), Is.EqualTo(new byte[] { 0, 0 }));
    }
}
