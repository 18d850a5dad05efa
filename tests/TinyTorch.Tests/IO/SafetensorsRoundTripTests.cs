using System.Runtime.InteropServices;
using TinyTorch.IO;

namespace TinyTorch.Tests.IO;

public class SafetensorsRoundTripTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("scratchrl-st-");

    [TearDown]
    public void DeleteDirectory() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private static byte[] BytesOf<T>(T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    [Test]
    public void EveryDTypeRoundTripsBitForBitWithMetadata()
    {
        // Edge values: NaN with a payload, -0, infinities, subnormals, integer extremes.
        float[] f32 = [BitConverter.Int32BitsToSingle(0x7FC0_1234), -0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue];
        double[] f64 = [double.NaN, -0d, double.Epsilon, double.MaxValue, 0.1, -1e-300];
        long[] i64 = [long.MinValue, -1, 0, long.MaxValue];
        int[] i32 = [int.MinValue, -1, 0, int.MaxValue, 7, 8];
        short[] i16 = [short.MinValue, -1, short.MaxValue, 0];
        sbyte[] i8 = [sbyte.MinValue, -1, sbyte.MaxValue];
        byte[] u8 = [0, 1, 255];
        ushort[] u16 = [0, ushort.MaxValue];
        uint[] u32 = [0, uint.MaxValue];
        ulong[] u64 = [0, ulong.MaxValue];
        Half[] f16 = [(Half)1.5f, Half.NegativeInfinity, Half.Epsilon, Half.MaxValue];
        bool[] flags = [true, false, true, true];
        byte[] bf16Bytes = [0x80, 0x3F, 0x40, 0xC0];
        byte[] f8Bytes = [0x00, 0x7F, 0x80, 0xFF];

        var entries = new List<SafetensorsEntry>
        {
            SafetensorsEntry.FromArray<float>("f32", f32, [2, 3]),
            SafetensorsEntry.FromArray<double>("f64", f64, [3, 2]),
            SafetensorsEntry.FromArray<long>("i64", i64, [4]),
            SafetensorsEntry.FromArray<int>("i32", i32, [1, 2, 3]),
            SafetensorsEntry.FromArray<short>("i16", i16, [2, 2]),
            SafetensorsEntry.FromArray<sbyte>("i8", i8, [3]),
            SafetensorsEntry.FromArray<byte>("u8", u8, [3, 1]),
            SafetensorsEntry.FromArray<ushort>("u16", u16, [2]),
            SafetensorsEntry.FromArray<uint>("u32", u32, [2]),
            SafetensorsEntry.FromArray<ulong>("u64", u64, [2]),
            SafetensorsEntry.FromArray<Half>("f16", f16, [4]),
            SafetensorsEntry.FromArray<bool>("bool", flags, [2, 2]),
            SafetensorsEntry.FromBytes("bf16", DType.BF16, [2], bf16Bytes),
            SafetensorsEntry.FromBytes("f8_e5m2", DType.F8E5M2, [4], f8Bytes),
            SafetensorsEntry.FromBytes("f8_e4m3", DType.F8E4M3, [2, 2], f8Bytes),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "é \" \\ \n", ["empty"] = "" };
        string path = PathOf("all.safetensors");
        new SafetensorsFile(entries, metadata).Write(path);

        SafetensorsFile read = SafetensorsFile.Read(path);
        Assert.That(read.Metadata, Is.EqualTo(metadata));
        Assert.That(read.Metadata!.Keys, Is.EqualTo(metadata.Keys), "metadata keeps the order it was written in");
        Assert.That(read.Entries, Has.Count.EqualTo(entries.Count));
        foreach (SafetensorsEntry written in entries)
        {
            SafetensorsEntry back = read[written.Name];
            Assert.That(back.DType, Is.EqualTo(written.DType), written.Name);
            Assert.That(back.Shape.ToArray(), Is.EqualTo(written.Shape.ToArray()), written.Name);
            Assert.That(back.Bytes.ToArray(), Is.EqualTo(written.Bytes.ToArray()), written.Name);
            Assert.That(back.Source, Is.EqualTo(path));
        }

        Assert.That(BytesOf(read["f32"].ToFloat32Array()), Is.EqualTo(BytesOf(f32)), "NaN payload and -0 survive");
        Assert.That(BytesOf(read["f64"].ToArray<double>()), Is.EqualTo(BytesOf(f64)));
        Assert.That(read["i64"].ToInt64Array(), Is.EqualTo(i64));
        Assert.That(read["i32"].ToInt32Array(), Is.EqualTo(i32));
        Assert.That(read["i16"].ToArray<short>(), Is.EqualTo(i16));
        Assert.That(read["i8"].ToArray<sbyte>(), Is.EqualTo(i8));
        Assert.That(read["u8"].ToArray<byte>(), Is.EqualTo(u8));
        Assert.That(read["u16"].ToArray<ushort>(), Is.EqualTo(u16));
        Assert.That(read["u32"].ToArray<uint>(), Is.EqualTo(u32));
        Assert.That(read["u64"].ToArray<ulong>(), Is.EqualTo(u64));
        Assert.That(read["f16"].ToArray<Half>(), Is.EqualTo(f16));
        Assert.That(read["bool"].ToArray<bool>(), Is.EqualTo(flags));
        Assert.That(read["bf16"].Bytes.ToArray(), Is.EqualTo(bf16Bytes));
        Assert.That(read["f8_e4m3"].Bytes.ToArray(), Is.EqualTo(f8Bytes));
    }

    [Test]
    public void IntegersAreStoredLittleEndian()
    {
        SafetensorsEntry e = SafetensorsEntry.FromArray<long>("x", [0x0102030405060708L, -2], [2]);
        Assert.That(e.Bytes.ToArray(), Is.EqualTo(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }));
    }

    [Test]
    public void ByteSwappingForBigEndianMachinesReversesEachElement()
    {
        byte[] bytes = [1, 2, 3, 4, 5, 6, 7, 8];
        LittleEndian.ReverseEachElement(bytes, 2);
        Assert.That(bytes, Is.EqualTo(new byte[] { 2, 1, 4, 3, 6, 5, 8, 7 }));
        LittleEndian.ReverseEachElement(bytes, 2);
        LittleEndian.ReverseEachElement(bytes, 4);
        Assert.That(bytes, Is.EqualTo(new byte[] { 4, 3, 2, 1, 8, 7, 6, 5 }));
        LittleEndian.ReverseEachElement(bytes, 4);
        LittleEndian.ReverseEachElement(bytes, 8);
        Assert.That(bytes, Is.EqualTo(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }));
    }

    [Test]
    public void ScalarsAndEmptyTensorsRoundTrip()
    {
        var file = new SafetensorsFile(
        [
            SafetensorsEntry.FromTensor("scalar", Torch.Scalar(2.5f)),
            SafetensorsEntry.FromTensor("empty", Torch.Zeros(0, 3)),
            SafetensorsEntry.FromArray<long>("none", [], [0]),
        ]);
        SafetensorsFile read = SafetensorsFile.Read(file.ToBytes());
        Tensor scalar = read["scalar"].ToTensor();
        Assert.That(scalar.Rank, Is.EqualTo(0));
        Assert.That(scalar.Item(), Is.EqualTo(2.5f));
        Assert.That(read["empty"].ToTensor().Shape.ToArray(), Is.EqualTo(new[] { 0, 3 }));
        Assert.That(read["none"].ToInt64Array(), Is.Empty);
    }

    /// <summary>Hand-decoded values: F16 0x3E00 = 1.5, 0x7BFF = 65504, 0x0001 = 2^-24; BF16 0x3F80 = 1, 0xC040 = -3.</summary>
    [Test]
    public void HalfBFloat16AndDoubleConvertToFloat32OnRequest()
    {
        var file = new SafetensorsFile(
        [
            SafetensorsEntry.FromBytes("f16", DType.F16, [4], [0x00, 0x3E, 0xFF, 0x7B, 0x01, 0x00, 0x00, 0xFC]),
            SafetensorsEntry.FromBytes("bf16", DType.BF16, [3], [0x80, 0x3F, 0x40, 0xC0, 0x80, 0x7F]),
            SafetensorsEntry.FromArray<double>("f64", [0.1, 1e300, -2.5], [3]),
        ]);
        SafetensorsFile read = SafetensorsFile.Read(file.ToBytes());

        Assert.That(read["f16"].ToFloat32Array(convert: true), Is.EqualTo(new[] { 1.5f, 65504f, MathF.Pow(2, -24), float.NegativeInfinity }));
        Assert.That(read["bf16"].ToFloat32Array(convert: true), Is.EqualTo(new[] { 1f, -3f, float.PositiveInfinity }));
        Assert.That(read["f64"].ToFloat32Array(convert: true), Is.EqualTo(new[] { 0.1f, float.PositiveInfinity, -2.5f }));
        Assert.That(read["f64"].ToTensor(convert: true).Shape.ToArray(), Is.EqualTo(new[] { 3 }));

        var e = Assert.Throws<SafetensorsException>(() => read["f64"].ToFloat32Array());
        Assert.That(e!.Message, Does.Contain("entry 'f64' has dtype F64 [3], but F32 was asked for"));
    }

    [Test]
    public void I64NarrowsToInt32OnlyWhenEveryValueFits()
    {
        var file = SafetensorsFile.Read(new SafetensorsFile(
        [
            SafetensorsEntry.FromArray<long>("ok", [int.MinValue, 0, int.MaxValue], [3]),
            SafetensorsEntry.FromArray<long>("big", [1, 2, 5_000_000_000L], [3]),
        ]).ToBytes(), "batch.safetensors");

        Assert.That(file["ok"].ToInt32Array(), Is.EqualTo(new[] { int.MinValue, 0, int.MaxValue }));
        var e = Assert.Throws<SafetensorsException>(() => file["big"].ToInt32Array());
        Assert.That(e!.Message, Is.EqualTo("batch.safetensors: entry 'big': I64 element 2 is 5000000000, which does not fit in a 32-bit int."));
    }

    [Test]
    public void AskingForTheWrongDTypeNamesTheFileTheEntryAndBothDTypes()
    {
        string path = PathOf("batch.safetensors");
        new SafetensorsFile(
        [
            SafetensorsEntry.FromArray<long>("actions", [0, 1], [2]),
            SafetensorsEntry.FromTensor("obs", Torch.Zeros(2, 4)),
        ]).Write(path);
        SafetensorsFile batch = SafetensorsFile.Read(path);

        var e = Assert.Throws<SafetensorsException>(() => batch["actions"].ToTensor());
        Assert.That(e!.Message, Is.EqualTo($"{path}: entry 'actions' has dtype I64 [2], but F32 was asked for."));
        e = Assert.Throws<SafetensorsException>(() => batch["obs"].ToInt64Array());
        Assert.That(e!.Message, Is.EqualTo($"{path}: entry 'obs' has dtype F32 [2, 4], but I64 was asked for."));
        e = Assert.Throws<SafetensorsException>(() => batch["obs"].ToInt32Array());
        Assert.That(e!.Message, Does.Contain("F32 [2, 4], but I32 (or I64 to narrow) was asked for"));
        e = Assert.Throws<SafetensorsException>(() => batch["actions"].ToFloat32Array(convert: true));
        Assert.That(e!.Message, Does.Contain("I64 [2], but F32 (or F64, F16, BF16 to convert) was asked for"));
        e = Assert.Throws<SafetensorsException>(() => batch.ToStateDict());
        Assert.That(e!.Message, Does.Contain("'actions'"));

        var missing = Assert.Throws<KeyNotFoundException>(() => _ = batch["rewards"]);
        Assert.That(missing!.Message, Is.EqualTo($"{path}: no entry 'rewards' (entries: actions, obs)."));
    }

    [Test]
    public void BoolBytesOtherThanZeroAndOneAreRejected()
    {
        SafetensorsEntry e = SafetensorsEntry.FromBytes("mask", DType.Bool, [3], [1, 0, 2]);
        var ex = Assert.Throws<SafetensorsException>(() => e.ToArray<bool>());
        Assert.That(ex!.Message, Does.Contain("BOOL element 2 is the byte 2"));
    }

    [Test]
    public void StateDictsSaveAndLoadInLayoutOrder()
    {
        var rng = new Rng(3);
        var stateDict = new Dictionary<string, Tensor>
        {
            ["0.weight"] = Torch.Randn(rng, 8, 4),
            ["0.bias"] = Torch.Randn(rng, 8),
            ["2.weight"] = Torch.Randn(rng, 8, 8),
            ["2.bias"] = Torch.Randn(rng, 8),
            ["10.weight"] = Torch.Randn(rng, 2, 8),
            ["10.bias"] = Torch.Randn(rng, 2),
        };
        string path = PathOf("model.safetensors");
        Safetensors.SaveStateDict(path, stateDict, new Dictionary<string, string> { ["env"] = "CartPole-v1" });

        var loaded = Safetensors.LoadStateDict(path);
        Assert.That(loaded.Keys, Is.EqualTo(new[] { "0.bias", "0.weight", "10.bias", "10.weight", "2.bias", "2.weight" }));
        foreach (var (name, tensor) in stateDict)
        {
            Assert.That(loaded[name].Shape.ToArray(), Is.EqualTo(tensor.Shape.ToArray()), name);
            Assert.That(loaded[name].Data, Is.EqualTo(tensor.Data), name);
        }
        Assert.That(SafetensorsFile.Read(path).Metadata!["env"], Is.EqualTo("CartPole-v1"));
    }

    [Test]
    public void EntriesAreSnapshotsOfTheTensorsTheyWereMadeFrom()
    {
        Tensor t = Torch.Ones(2);
        SafetensorsEntry e = SafetensorsEntry.FromTensor("w", t);
        t.Data[0] = 5f;
        Assert.That(e.ToFloat32Array(), Is.EqualTo(new[] { 1f, 1f }));
    }

    [Test]
    public void BadEntriesAndFilesAreRefusedWhenBuilt()
    {
        var e = Assert.Throws<ArgumentException>(() => SafetensorsEntry.FromArray<float>("w", [1f, 2f, 3f], [2, 2]));
        Assert.That(e!.Message, Does.Contain("Entry 'w': shape [2, 2] does not hold the 3 F32 elements"));
        e = Assert.Throws<ArgumentException>(() => SafetensorsEntry.FromArray<float>("w", [1f], [-1]));
        Assert.That(e!.Message, Does.Contain("negative dimension"));
        e = Assert.Throws<ArgumentException>(() => SafetensorsEntry.FromBytes("h", DType.F16, [1], [1, 2, 3]));
        Assert.That(e!.Message, Does.Contain("3 bytes is not a whole number of F16 elements"));
        e = Assert.Throws<ArgumentException>(() => SafetensorsEntry.FromArray<float>("__metadata__", [1f], [1]));
        Assert.That(e!.Message, Does.Contain("reserved"));
        e = Assert.Throws<ArgumentException>(() => SafetensorsEntry.FromArray<float>("bad\uD800", [1f], [1]));
        Assert.That(e!.Message, Does.Contain("lone surrogate"));
        e = Assert.Throws<ArgumentException>(() => new SafetensorsFile(
            [SafetensorsEntry.FromArray<float>("w", [1f], [1]), SafetensorsEntry.FromArray<long>("w", [1L], [1])]));
        Assert.That(e!.Message, Does.Contain("'w' appears twice"));
        Assert.Throws<NotSupportedException>(() => SafetensorsEntry.FromArray<decimal>("d", [1m], [1]));
    }
}
