using System.Text;
using TinyTorch.IO;

namespace TinyTorch.Tests.IO;

public class AtomicFileTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("scratchrl-atomic-");

    [TearDown]
    public void DeleteDirectory() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private string[] FileNames() => [.. _dir.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal)];

    [Test]
    public void WriteAllBytesCreatesTheFileAndLeavesNoTemporaryFile()
    {
        string path = PathOf("model.safetensors");
        AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3, 250 });

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3, 250 }));
        Assert.That(FileNames(), Is.EqualTo(new[] { "model.safetensors" }));
    }

    [Test]
    public void ReplacingALongerFileLeavesNoOldTail()
    {
        string path = PathOf("config.json");
        File.WriteAllText(path, "a much longer old content");
        AtomicFile.WriteAllText(path, "new");

        Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        Assert.That(FileNames(), Is.EqualTo(new[] { "config.json" }));
    }

    [Test]
    public void TextIsUtf8WithoutByteOrderMark()
    {
        string path = PathOf("a.txt");
        AtomicFile.WriteAllText(path, "é");
        // U+00E9 is C3 A9 in UTF-8; a byte-order mark would put EF BB BF first.
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 0xC3, 0xA9 }));

        AtomicFile.WriteText(path, w => w.Write("x,€\n"));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { (byte)'x', (byte)',', 0xE2, 0x82, 0xAC, (byte)'\n' }));
    }

    [Test]
    public void TheTemporaryFileIsAHiddenSiblingOfTheTarget()
    {
        string path = PathOf("curve.svg");
        string? tempName = null;
        AtomicFile.Write(path, stream =>
        {
            var file = (FileStream)stream;
            Assert.That(Path.GetDirectoryName(file.Name), Is.EqualTo(_dir.FullName));
            tempName = Path.GetFileName(file.Name);
            Assert.That(File.Exists(path), Is.False, "the target must not exist before the move");
            stream.Write("<svg/>"u8);
        });

        Assert.That(tempName, Does.StartWith(".curve.svg.").And.EndWith(".tmp"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("<svg/>"));
        Assert.That(FileNames(), Is.EqualTo(new[] { "curve.svg" }));
    }

    [Test]
    public void AWriterThatThrowsMidwayLeavesTheOldFileIntactAndNoTemporaryFile()
    {
        string path = PathOf("checkpoint.safetensors");
        File.WriteAllText(path, "old checkpoint");

        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]);
            stream.Flush();
            throw new InvalidOperationException("disk full halfway");
        }));

        Assert.That(e!.Message, Is.EqualTo("disk full halfway"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old checkpoint"));
        Assert.That(FileNames(), Is.EqualTo(new[] { "checkpoint.safetensors" }));
    }

    [Test]
    public void AWriterThatThrowsCreatesNothingWhenThereWasNoFile()
    {
        string path = PathOf("metrics.csv");
        Assert.Throws<InvalidOperationException>(() =>
            AtomicFile.WriteText(path, w =>
            {
                w.Write("step,return\n");
                throw new InvalidOperationException("stop");
            }));
        Assert.That(FileNames(), Is.Empty);
    }

    [Test]
    public void AMissingDirectoryIsAnErrorAndCreatesNothing()
    {
        string path = Path.Combine(_dir.FullName, "no-such-dir", "x.bin");
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllBytes(path, new byte[] { 1 }));
        Assert.That(_dir.GetFileSystemInfos(), Is.Empty);
    }

    [Test]
    public void ATargetThatIsADirectoryFailsAndLeavesNoTemporaryFile()
    {
        Directory.CreateDirectory(PathOf("run"));
        Assert.Throws<IOException>(() => AtomicFile.WriteAllBytes(PathOf("run"), new byte[] { 1 }));
        Assert.That(FileNames(), Is.Empty);

        var e = Assert.Throws<ArgumentException>(() => AtomicFile.WriteAllBytes(PathOf("run") + Path.DirectorySeparatorChar, new byte[] { 1 }));
        Assert.That(e!.Message, Does.Contain("not a file path"));
    }

    [Test]
    public void ManyWritesToOneFileKeepTheLastContent()
    {
        string path = PathOf("metrics.json");
        for (int i = 0; i < 20; i++)
            AtomicFile.WriteAllBytes(path, Encoding.ASCII.GetBytes($"{{\"step\":{i}}}"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("{\"step\":19}"));
        Assert.That(FileNames(), Is.EqualTo(new[] { "metrics.json" }));
    }
}
