using System.Text.Json;
using TinyTorch.IO;

namespace TinyTorch.Tests.IO;

/// <summary>
/// The files under tests/data/reference/qupdate/ were written by Python's safetensors from PyTorch state dicts and
/// batches. Shapes below were read off their headers with Python (struct + json), independently of this reader.
/// </summary>
public class SafetensorsReferenceTests
{
    public record Case(string Name, int[] Widths, int Batch)
    {
        public override string ToString() => Name;
    }

    // Widths: input, hidden..., output of the torch.nn.Sequential(Linear, ReLU, ..., Linear).
    private static readonly Case[] Cases =
    [
        new("case00", [4, 64, 64, 2], 32),
        new("case01", [4, 17, 2], 7),
        new("case02", [3, 5, 33, 3], 1),
    ];

    private static readonly string[] NetworkFiles = ["weights", "target", "expected"];

    private static string PathOf(string caseName, string file) =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "reference", "qupdate", caseName, file);

    private static IEnumerable<TestCaseData> ReferenceFiles()
    {
        foreach (Case c in Cases)
            foreach (string file in (string[])[.. NetworkFiles, "batch"])
                yield return new TestCaseData(c.Name, file + ".safetensors").SetName($"{c.Name}/{file}");
    }

    [TestCaseSource(nameof(Cases))]
    public void NetworksAreSequentialStateDictsWithTheDocumentedShapes(Case c)
    {
        foreach (string file in NetworkFiles)
        {
            string path = PathOf(c.Name, file + ".safetensors");
            SafetensorsFile st = SafetensorsFile.Read(path);

            // Linear layers sit at even indices (ReLUs between them have no parameters); layout order is by name.
            var expectedNames = new List<string>();
            for (int layer = 0; layer < c.Widths.Length - 1; layer++)
                expectedNames.AddRange([$"{2 * layer}.bias", $"{2 * layer}.weight"]);
            Assert.That(st.Entries.Select(e => e.Name), Is.EqualTo(expectedNames), path);
            Assert.That(st.Metadata, Is.Null, path);
            Assert.That(st.Source, Is.EqualTo(path));

            for (int layer = 0; layer < c.Widths.Length - 1; layer++)
            {
                int inFeatures = c.Widths[layer], outFeatures = c.Widths[layer + 1];
                Tensor weight = st[$"{2 * layer}.weight"].ToTensor();
                Tensor bias = st[$"{2 * layer}.bias"].ToTensor();
                Assert.That(weight.Shape.ToArray(), Is.EqualTo(new[] { outFeatures, inFeatures }), $"{path} layer {layer}");
                Assert.That(bias.Shape.ToArray(), Is.EqualTo(new[] { outFeatures }), $"{path} layer {layer}");
                Assert.That(weight.Data.All(float.IsFinite) && bias.Data.All(float.IsFinite), Is.True, path);
                if (file == "weights")
                {
                    // The online nets are freshly initialised: PyTorch's default Linear init draws weight and bias
                    // from U(-1/sqrt(in), 1/sqrt(in)), so a wrong shape, offset or byte order would break the bound.
                    float bound = 1f / MathF.Sqrt(inFeatures) * (1 + 1e-6f);
                    Assert.That(weight.Data.Max(MathF.Abs), Is.LessThanOrEqualTo(bound), $"{path} {2 * layer}.weight");
                    Assert.That(bias.Data.Max(MathF.Abs), Is.LessThanOrEqualTo(bound), $"{path} {2 * layer}.bias");
                    Assert.That(weight.Data.Max(MathF.Abs), Is.GreaterThan(0.5f * bound), $"{path} {2 * layer}.weight spans its range");
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void BatchesHoldF32ObservationsAndI64ActionsInRange(Case c)
    {
        string path = PathOf(c.Name, "batch.safetensors");
        SafetensorsFile batch = SafetensorsFile.Read(path);
        int b = c.Batch, d = c.Widths[0], actions = c.Widths[^1];

        // Python lays I64 out before F32, then orders by name.
        Assert.That(batch.Entries.Select(e => e.Name), Is.EqualTo(new[] { "actions", "dones", "next_obs", "obs", "rewards" }));
        Assert.That(batch["actions"].DType, Is.EqualTo(DType.I64));
        foreach (string name in (string[])["obs", "next_obs", "rewards", "dones"])
            Assert.That(batch[name].DType, Is.EqualTo(DType.F32), name);

        Tensor obs = batch["obs"].ToTensor(), nextObs = batch["next_obs"].ToTensor();
        Assert.That(obs.Shape.ToArray(), Is.EqualTo(new[] { b, d }));
        Assert.That(nextObs.Shape.ToArray(), Is.EqualTo(new[] { b, d }));
        Assert.That(batch["rewards"].Shape.ToArray(), Is.EqualTo(new[] { b }));
        Assert.That(batch["dones"].Shape.ToArray(), Is.EqualTo(new[] { b }));
        Assert.That(obs.Data.Concat(nextObs.Data).Concat(batch["rewards"].ToFloat32Array()).All(float.IsFinite), Is.True);

        // Cross-checks against the network files: every action indexes an output of the last layer,
        // the same values narrow to int, and dones are exactly the floats 0 and 1.
        long[] a = batch["actions"].ToInt64Array();
        Assert.That(a, Has.Length.EqualTo(b));
        Assert.That(a, Has.All.InRange(0L, actions - 1L));
        Assert.That(batch["actions"].ToInt32Array().Select(x => (long)x), Is.EqualTo(a));
        Assert.That(batch["dones"].ToFloat32Array(), Has.All.Matches<float>(x => x == 0f || x == 1f));
        int lastLayer = 2 * (c.Widths.Length - 2);
        Assert.That(SafetensorsFile.Read(PathOf(c.Name, "weights.safetensors"))[$"{lastLayer}.weight"].Shape[0], Is.EqualTo(actions));
        Assert.That(SafetensorsFile.Read(PathOf(c.Name, "weights.safetensors"))["0.weight"].Shape[1], Is.EqualTo(d));
    }

    /// <summary>
    /// Decoding check through the optimizer: case00 is one Adam step with lr 0.001, and Adam's first step moves every
    /// parameter by lr·g/(|g| + ε), so |expected − weights| ≤ lr everywhere and ≈ lr wherever the gradient is not tiny.
    /// Mis-decoded floats (wrong offsets, byte order or dtype) could not keep that bound.
    /// </summary>
    [Test]
    public void OneAdamStepMovesEveryWeightByAtMostTheLearningRate()
    {
        using JsonDocument caseJson = JsonDocument.Parse(File.ReadAllText(PathOf("case00", "case.json")));
        Assert.That(caseJson.RootElement.GetProperty("optimizer").GetString(), Is.EqualTo("adam"));
        Assert.That(caseJson.RootElement.GetProperty("steps").GetInt32(), Is.EqualTo(1));
        float lr = (float)caseJson.RootElement.GetProperty("lr").GetDouble();

        var before = Safetensors.LoadStateDict(PathOf("case00", "weights.safetensors"));
        var after = Safetensors.LoadStateDict(PathOf("case00", "expected.safetensors"));
        Assert.That(after.Keys, Is.EqualTo(before.Keys));
        int nearLr = 0, total = 0;
        foreach (var (name, w) in before)
        {
            float[] w0 = w.Data, w1 = after[name].Data;
            for (int i = 0; i < w0.Length; i++)
            {
                float step = MathF.Abs(w1[i] - w0[i]);
                Assert.That(step, Is.LessThanOrEqualTo(lr * 1.001f + 1e-6f), $"{name}[{i}]");
                if (step > 0.9f * lr) nearLr++;
                total++;
            }
        }
        Assert.That(nearLr, Is.GreaterThan(total / 4), "most parameters get a full-size first Adam step");
    }

    /// <summary>
    /// Rebuilding each file from typed values (tensors and long arrays, handed over in reverse order so the writer has
    /// to sort) reproduces Python's bytes exactly: key order, offsets, compact JSON, space padding.
    /// </summary>
    [TestCaseSource(nameof(ReferenceFiles))]
    public void RewritingFromTypedValuesReproducesPythonsBytes(string caseName, string file)
    {
        string path = PathOf(caseName, file);
        byte[] original = File.ReadAllBytes(path);
        SafetensorsFile read = SafetensorsFile.Read(path);

        var rebuilt = new List<SafetensorsEntry>();
        foreach (SafetensorsEntry e in read.Entries.Reverse())
        {
            rebuilt.Add(e.DType switch
            {
                DType.F32 => SafetensorsEntry.FromTensor(e.Name, e.ToTensor()),
                DType.I64 => SafetensorsEntry.FromArray<long>(e.Name, e.ToInt64Array(), e.Shape),
                _ => throw new AssertionException($"unexpected dtype {e.DType} in {path}"),
            });
        }
        var copy = new SafetensorsFile(rebuilt, read.Metadata);
        Assert.That(copy.ToBytes(), Is.EqualTo(original));

        DirectoryInfo dir = Directory.CreateTempSubdirectory("scratchrl-st-");
        try
        {
            string outPath = Path.Combine(dir.FullName, file);
            copy.Write(outPath);
            Assert.That(File.ReadAllBytes(outPath), Is.EqualTo(original));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void ReadingFromAStreamGivesTheSameEntries()
    {
        string path = PathOf("case01", "batch.safetensors");
        using FileStream stream = File.OpenRead(path);
        SafetensorsFile fromStream = SafetensorsFile.Read(stream, path);
        SafetensorsFile fromPath = SafetensorsFile.Read(path);
        Assert.That(fromStream.Entries.Select(e => e.ToString()), Is.EqualTo(fromPath.Entries.Select(e => e.ToString())));
        Assert.That(fromStream["obs"].ToFloat32Array(), Is.EqualTo(fromPath["obs"].ToFloat32Array()));
    }
}
