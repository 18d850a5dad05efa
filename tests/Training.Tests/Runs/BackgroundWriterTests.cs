using System.Text.Json;
using TinyTorch.IO;
using Training.Config;
using Training.Reporting;
using Training.Runs;

namespace Training.Tests.Runs;

/// <summary>
/// <see cref="BackgroundWriter"/> writes captured checkpoints in order, one at a time, and a failed write is not lost:
/// it is rethrown by the next <see cref="BackgroundWriter.Write"/> or <see cref="BackgroundWriter.Wait"/>.
/// </summary>
public class BackgroundWriterTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "scratchrl-writer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static CheckpointFile Checkpoint(float value, long step) => CheckpointFile.Capture(
        "test-checkpoint", [SafetensorsEntry.FromArray<float>("x", [value], [1])], new TrainConfig(), new { step },
        new MetricsLog(), new Dictionary<string, string> { ["preset"] = "test" });

    private static (float Value, long Step) ReadBack(string path) =>
        CheckpointFile.Read<JsonElement, (float, long)>(path, "test-checkpoint",
            c => (c.File["x"].ToArray<float>()[0], c.Scalars.GetProperty("step").GetInt64()));

    [Test]
    public void WritesLandInOrderAndWaitMeansOnDisk()
    {
        string path = Path.Combine(_folder, "checkpoint.safetensors");
        var writer = new BackgroundWriter();
        for (int i = 1; i <= 5; i++)
            writer.Write(path, Checkpoint(i * 1.5f, i * 1000).Write);
        writer.Wait();
        Assert.That(ReadBack(path), Is.EqualTo((7.5f, 5000L)), "the last of the five writes");
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { path }), "no temporary file is left");
    }

    [Test]
    public void ACaptureKeepsTheLabelsOfItsMoment()
    {
        var labels = new Dictionary<string, string> { ["preset"] = "before" };
        var capture = CheckpointFile.Capture("test-checkpoint", [], new TrainConfig(), new { step = 1 }, new MetricsLog(), labels);
        labels["preset"] = "after";
        string path = Path.Combine(_folder, "c.safetensors");
        capture.Write(path);
        string preset = CheckpointFile.Read<JsonElement, string>(path, "test-checkpoint", c => c.Labels["preset"]);
        Assert.That(preset, Is.EqualTo("before"));
    }

    [Test]
    public void AFailedWriteIsRethrownOnceByTheNextCall()
    {
        var writer = new BackgroundWriter();
        writer.Write(Path.Combine(_folder, "missing", "checkpoint.safetensors"), Checkpoint(1, 1).Write);
        Assert.That(writer.Wait, Throws.InstanceOf<DirectoryNotFoundException>());
        Assert.That(writer.Wait, Throws.Nothing, "reported once");

        writer.Write(Path.Combine(_folder, "missing", "checkpoint.safetensors"), Checkpoint(1, 1).Write);
        string ok = Path.Combine(_folder, "checkpoint.safetensors");
        Assert.That(() => writer.Write(ok, Checkpoint(2, 2).Write), Throws.InstanceOf<DirectoryNotFoundException>(),
            "the next write reports the one before it");
        writer.WaitIgnoringFailure();
        Assert.That(File.Exists(ok), Is.False, "a write refused because of an earlier failure is not started");
    }
}
