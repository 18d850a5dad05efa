using System.Globalization;
using Dqn.Training;
using ScratchRl.Cli;
using TinyTorch;
using TinyTorch.IO;
using Training.Policies;

namespace ScratchRl.Tests;

/// <summary>
/// docs/TRAINING.md's PyTorch snippet cannot run here (no PyTorch), so what it assumes is checked on real model files
/// written by <c>scratchrl train</c>, a plain and a dueling one: the snippet builds
/// <c>Sequential(Linear(sizes[0], sizes[1]), ReLU(), …, Linear(sizes[-2], sizes[-1]))</c> from the metadata's
/// <c>sizes</c>, so <c>load_state_dict</c> (strict) needs exactly the keys <c>{2i}.weight</c> [sizes[i+1], sizes[i]] and
/// <c>{2i}.bias</c> [sizes[i+1]], all F32; for a dueling file (<c>dueling</c> = "true") it takes
/// Q = out[:, :1] + out[:, 1:] − mean(out[:, 1:]), which must be the Q-values scratchrl acts on. The forward pass here
/// is written out in double precision from the file's tensors, independently of TinyTorch's kernels.
/// </summary>
public class PyTorchSnippetTests : TempFolderTest
{
    private static string Snippet()
    {
        string doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "TRAINING.md"));
        int start = doc.IndexOf("```python\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), "TRAINING.md has a Python snippet");
        return doc[start..doc.IndexOf("\n```", start + 1, StringComparison.Ordinal)];
    }

    [Test]
    public void TheSnippetIsTheOneTheseTestsCheck()
    {
        string snippet = Snippet();
        foreach (string line in (string[])[
            "sizes = [int(n) for n in meta[\"sizes\"].split(\",\")]",
            "layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]",
            "net = torch.nn.Sequential(*layers[:-1])",
            "if meta[\"dueling\"] == \"true\":",
            "return out[:, :1] + out[:, 1:] - out[:, 1:].mean(1, keepdim=True)",
            "obs, _ = env.reset(seed=2_000_000 + episode)"])
            Assert.That(snippet, Does.Contain(line));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void AModelFileHasTheKeysShapesAndMetadataTheSnippetReads(bool dueling)
    {
        var file = Train(dueling);
        var metadata = file.Metadata!;
        Assert.That(metadata["dueling"], Is.EqualTo(dueling ? "true" : "false"));
        int[] sizes = metadata["sizes"].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.That(sizes, Is.EqualTo(dueling ? new[] { 4, 16, 3 } : new[] { 4, 16, 2 }), "observations, hidden, 1 + |A| (dueling) or |A|");

        var expected = new Dictionary<string, int[]>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            expected[$"{2 * i}.weight"] = [sizes[i + 1], sizes[i]];
            expected[$"{2 * i}.bias"] = [sizes[i + 1]];
        }
        Assert.That(file.Entries.Select(e => e.Name), Is.EquivalentTo(expected.Keys), "load_state_dict is strict: exactly these keys");
        foreach (var entry in file.Entries)
        {
            Assert.That(entry.DType, Is.EqualTo(DType.F32), entry.Name);
            Assert.That(entry.Shape.ToArray(), Is.EqualTo(expected[entry.Name]), entry.Name);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TheSnippetsQValuesAreTheOnesScratchrlActsOn(bool dueling)
    {
        Train(dueling);
        var state = SafetensorsFile.Read(ModelPath).ToStateDict();
        var values = (IActionValues)ModelFile.Load(ModelPath).Policy;
        var rng = new Random(5);
        float[] scores = new float[values.ActionCount];
        Assert.That(values.ActionCount, Is.EqualTo(2));
        for (int trial = 0; trial < 20; trial++)
        {
            float[] observation = [.. Enumerable.Range(0, 4).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
            double[] output = Forward(state, observation);
            double[] q = dueling ? [.. output[1..].Select(a => output[0] + a - output[1..].Average())] : output;
            values.Evaluate(observation, scores);
            for (int a = 0; a < q.Length; a++)
                Assert.That(scores[a], Is.EqualTo(q[a]).Within(1e-4 * Math.Max(1, Math.Abs(q[a]))), $"Q(s, {a})");
        }
    }

    private string ModelPath => Path.Combine(Folder, "model.safetensors");

    private SafetensorsFile Train(bool dueling)
    {
        string[] args = ["train", .. TrainCliFixtures.TinyRun, "--no-stop", "--out", Folder, "--quiet", .. (dueling ? (string[])["--dueling"] : [])];
        var (code, _, stderr) = CliRun.Run(null, args);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        return SafetensorsFile.Read(ModelPath);
    }

    /// <summary>The snippet's Sequential in double precision: Linear, ReLU, …, Linear, with y = W·x + b.</summary>
    private static double[] Forward(IReadOnlyDictionary<string, Tensor> state, float[] observation)
    {
        double[] x = [.. observation.Select(v => (double)v)];
        int layers = state.Count / 2;
        for (int l = 0; l < layers; l++)
        {
            var weight = state[$"{2 * l}.weight"];
            float[] w = weight.ToArray(), b = state[$"{2 * l}.bias"].ToArray();
            int rows = weight.Shape[0], columns = weight.Shape[1];
            var y = new double[rows];
            for (int r = 0; r < rows; r++)
            {
                double sum = b[r];
                for (int c = 0; c < columns; c++)
                    sum += (double)w[r * columns + c] * x[c];
                y[r] = l + 1 < layers ? Math.Max(0, sum) : sum;
            }
            x = y;
        }
        return x;
    }
}
