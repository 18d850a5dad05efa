using System.Buffers.Binary;
using System.Text.Json;
using Training.Config;
using Dqn.Tabular;
using Dqn.Training;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using Training.Runs;

namespace Dqn.Tests.Training;

public class ModelFileTests
{
    private string _folder = "";

    /// <summary>A torch.nn.Sequential(Linear(4, 64), ReLU(), Linear(64, 64), ReLU(), Linear(64, 2)) state dict written by PyTorch.</summary>
    private static string PyTorchFile => Path.Combine(AppContext.BaseDirectory, "data", "reference", "qupdate", "case00", "weights.safetensors");

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "scratchrl-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>The header of a safetensors file as JSON (length-prefixed, little-endian), read without TinyTorch.</summary>
    private static JsonElement Header(string path, out byte[] data)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long n = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        data = bytes[(8 + (int)n)..];
        return JsonDocument.Parse(bytes.AsMemory(8, (int)n)).RootElement.Clone();
    }

    [Test]
    public void APyTorchStateDictLoadsAsAPlainQNetwork()
    {
        var model = ModelFile.Load(PyTorchFile);
        Assert.That(model.Algorithm, Is.EqualTo(Algorithm.Dqn));
        Assert.That(model.Description, Is.EqualTo("MLP 4-64-64-2"));
        Assert.That(model.Dueling, Is.False);
        Assert.That((model.ObservationSize, model.ActionCount), Is.EqualTo((4, 2)));

        // The greedy action is the argmax of Q computed in double precision from the file's raw weights.
        var raw = Safetensors.LoadStateDict(PyTorchFile);
        var rng = new Rng(1);
        for (int trial = 0; trial < 50; trial++)
        {
            float[] obs = [(float)rng.Uniform(-2, 2), (float)rng.Uniform(-2, 2), (float)rng.Uniform(-0.2, 0.2), (float)rng.Uniform(-2, 2)];
            double[] x = [.. obs.Select(v => (double)v)];
            for (int layer = 0; layer <= 4; layer += 2)
            {
                var w = raw[$"{layer}.weight"];
                var b = raw[$"{layer}.bias"];
                int outs = w.Size(0), ins = w.Size(1);
                var y = new double[outs];
                for (int o = 0; o < outs; o++)
                {
                    double sum = b.Data[o];
                    for (int i = 0; i < ins; i++)
                        sum += w.Data[o * ins + i] * x[i];
                    y[o] = layer < 4 ? Math.Max(sum, 0) : sum;
                }
                x = y;
            }
            if (Math.Abs(x[0] - x[1]) < 1e-5)
                continue;
            Assert.That(model.Policy.Act(obs), Is.EqualTo(x[1] > x[0] ? 1 : 0), $"trial {trial}");
        }
    }

    [Test]
    public void ASavedNetworkHasPyTorchsKeysDtypesShapesAndLayout()
    {
        var network = ModelFile.Load(PyTorchFile).Network!;
        string path = Path.Combine(_folder, "model.safetensors");
        ModelFile.SaveNetwork(path, network, dueling: false, new Dictionary<string, string> { ["preset"] = "fast" });

        var ours = Header(path, out byte[] ourData);
        var theirs = Header(PyTorchFile, out byte[] theirData);
        var ourNames = ours.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").Order().ToList();
        var theirNames = theirs.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").Order().ToList();
        Assert.That(ourNames, Is.EqualTo(theirNames));
        foreach (string name in theirNames)
            Assert.That(ours.GetProperty(name).GetRawText(), Is.EqualTo(theirs.GetProperty(name).GetRawText()), name);
        Assert.That(ourData, Is.EqualTo(theirData), "the same bytes at the same offsets");

        var metadata = ours.GetProperty("__metadata__");
        Assert.That(metadata.GetProperty("format").GetString(), Is.EqualTo(ModelFile.Format));
        Assert.That(metadata.GetProperty("algorithm").GetString(), Is.EqualTo("dqn"));
        Assert.That(metadata.GetProperty("dueling").GetString(), Is.EqualTo("false"));
        Assert.That(metadata.GetProperty("sizes").GetString(), Is.EqualTo("4,64,64,2"));
        Assert.That(metadata.GetProperty("preset").GetString(), Is.EqualTo("fast"));
    }

    [Test]
    public void ADuelingNetworkRoundTripsWithItsFlag()
    {
        var net = Sequential.Mlp(new Rng(4), 4, [8], 3);
        string path = Path.Combine(_folder, "dueling.safetensors");
        ModelFile.SaveNetwork(path, net, dueling: true);
        var model = ModelFile.Load(path);
        Assert.That(model.Dueling, Is.True);
        Assert.That(model.ActionCount, Is.EqualTo(2));
        Assert.That(model.Description, Does.StartWith("dueling MLP 4-8-3"));
        var reference = QNetworkPolicy.Greedy(net, true);
        var rng = new Rng(2);
        for (int i = 0; i < 20; i++)
        {
            float[] obs = [(float)rng.NextNormal(), (float)rng.NextNormal(), (float)rng.NextNormal(), (float)rng.NextNormal()];
            Assert.That(model.Policy.Act(obs), Is.EqualTo(reference.Act(obs)));
        }
    }

    [Test]
    public void AQTableRoundTripsWithItsDiscretisation()
    {
        var tabular = new TabularConfig();
        var discretizer = new Discretizer(tabular.Bins, tabular.Low, tabular.High);
        var table = new QTable(discretizer.StateCount, 2);
        var rng = new Rng(9);
        for (int i = 0; i < table.Values.Length; i++)
            table.Values[i] = (float)rng.NextNormal();
        string path = Path.Combine(_folder, "table.safetensors");
        ModelFile.SaveTable(path, table, tabular);

        var model = ModelFile.Load(path);
        Assert.That(model.Algorithm, Is.EqualTo(Algorithm.QTable));
        Assert.That(model.Description, Is.EqualTo("Q-table, 72 states × 2 actions"));
        var original = new TabularPolicy(discretizer, table);
        for (int i = 0; i < 50; i++)
        {
            float[] obs = [0, 0, (float)rng.Uniform(-0.25, 0.25), (float)rng.Uniform(-1, 1)];
            Assert.That(model.Policy.Act(obs), Is.EqualTo(original.Act(obs)));
        }
    }

    [Test]
    public void FilesThatAreNotModelsAreReportedWithTheirPath()
    {
        string missing = Path.Combine(_folder, "missing.safetensors");
        Assert.That(() => ModelFile.Load(missing), Throws.InstanceOf<ModelFileException>().With.Message.EqualTo($"model file '{missing}' does not exist."));

        string garbage = Path.Combine(_folder, "garbage.safetensors");
        File.WriteAllText(garbage, "this is not a network");
        Assert.That(() => ModelFile.Load(garbage), Throws.InstanceOf<ModelFileException>().With.Message.StartsWith($"'{garbage}' is not a model file"));

        string batch = Path.Combine(_folder, "batch.safetensors");
        new SafetensorsFile([SafetensorsEntry.FromArray<float>("obs", [1f, 2f], [1, 2])]).Write(batch);
        Assert.That(() => ModelFile.Load(batch), Throws.InstanceOf<ModelFileException>().With.Message.Contains("does not hold a Q-network").And.Message.Contains("'obs'"));

        string actions = Path.Combine(_folder, "ints.safetensors");
        new SafetensorsFile([SafetensorsEntry.FromArray<long>("0.weight", [1L, 2L], [1, 2])]).Write(actions);
        Assert.That(() => ModelFile.Load(actions), Throws.InstanceOf<ModelFileException>().With.Message.Contains("I64"));
    }
}
