using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace TinyTorch.Tests.Optim;

/// <summary>
/// Replays the DQN updates recorded from PyTorch 1.13 in tests/data/reference/qupdate (see its README): MLPs loaded
/// by their state-dict keys, the batched forward and backward, clip_grad_norm_ and Adam or SGD must land on PyTorch's
/// weights. The loss gradient is written out here by hand (Huber: clamp(d, −1, 1)/B, MSE: 2d/B for d = Q(s,a) − y),
/// since only the network, the clipping and the optimizer are under test.
/// </summary>
public class PyTorchQUpdateTests
{
    private static string CaseDirectory(string name) =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "reference", "qupdate", name);

    /// <summary>A minimal safetensors reader for the test data: 8-byte header length, JSON header, raw little-endian tensors.</summary>
    private static Dictionary<string, (string Dtype, int[] Shape, byte[] Bytes)> ReadSafetensors(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, headerLength));
        var tensors = new Dictionary<string, (string, int[], byte[])>();
        foreach (JsonProperty entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
                continue;
            int[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            int[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            tensors[entry.Name] = (entry.Value.GetProperty("dtype").GetString()!, shape, file[(8 + headerLength + offsets[0])..(8 + headerLength + offsets[1])]);
        }
        return tensors;
    }

    private static Dictionary<string, Tensor> ReadStateDict(string path) =>
        ReadSafetensors(path).ToDictionary(kv => kv.Key, kv => new Tensor(MemoryMarshal.Cast<byte, float>(kv.Value.Bytes).ToArray(), kv.Value.Shape));

    private static float[] Floats(Dictionary<string, (string Dtype, int[] Shape, byte[] Bytes)> file, string name) =>
        MemoryMarshal.Cast<byte, float>(file[name].Bytes).ToArray();

    [TestCase("case00", false)]
    [TestCase("case01", false)]
    [TestCase("case02", false)]
    [TestCase("case00", true)]
    [TestCase("case01", true)]
    [TestCase("case02", true)]
    public void UpdateMatchesPyTorch(string name, bool autograd)
    {
        string dir = CaseDirectory(name);
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json")));
        JsonElement c = config.RootElement;
        double gamma = c.GetProperty("gamma").GetDouble(), lr = c.GetProperty("lr").GetDouble();
        bool huber = c.GetProperty("loss").GetString() == "huber", doubleDqn = c.GetProperty("double").GetBoolean();
        double? maxGradNorm = c.GetProperty("max_grad_norm").ValueKind == JsonValueKind.Null ? null : c.GetProperty("max_grad_norm").GetDouble();
        double[] losses = c.GetProperty("losses").EnumerateArray().Select(l => l.GetDouble()).ToArray();

        var initial = ReadStateDict(Path.Combine(dir, "weights.safetensors"));
        Sequential online = Sequential.MlpFromStateDict(initial);
        Sequential target = Sequential.MlpFromStateDict(ReadStateDict(Path.Combine(dir, "target.safetensors")));
        var expected = ReadStateDict(Path.Combine(dir, "expected.safetensors"));
        var batch = ReadSafetensors(Path.Combine(dir, "batch.safetensors"));
        float[] obs = Floats(batch, "obs"), nextObs = Floats(batch, "next_obs"), rewards = Floats(batch, "rewards"), dones = Floats(batch, "dones");
        long[] actions = MemoryMarshal.Cast<byte, long>(batch["actions"].Bytes).ToArray();
        int b = rewards.Length, actionCount = online.OfType<Linear>().Last().OutFeatures;

        Optimizer optimizer = c.GetProperty("optimizer").GetString() == "adam" ? new Adam(online.Parameters(), lr) : new SGD(online.Parameters(), lr);
        var onlineWorkspace = new MlpWorkspace(online);
        var targetWorkspace = new MlpWorkspace(target);
        var nextActions = new int[b];
        var gradQ = new float[b * actionCount];

        for (int step = 0; step < losses.Length; step++)
        {
            // y = r + γ(1 − done)·Q_target(s′, a*), a* from the target net or, for double DQN, from the online net
            float[] qTargetNext = targetWorkspace.Forward(nextObs).ToArray();
            MlpWorkspace.ArgMax(doubleDqn ? onlineWorkspace.Forward(nextObs) : qTargetNext, actionCount, nextActions);
            var y = new double[b];
            for (int i = 0; i < b; i++)
                y[i] = rewards[i] + gamma * (1 - dones[i]) * qTargetNext[i * actionCount + nextActions[i]];

            optimizer.ZeroGrad();
            Tensor? qTensor = null;
            float[] q;
            if (autograd)
            {
                qTensor = online.Forward(new Tensor((float[])obs.Clone(), b, obs.Length / b));
                q = qTensor.Data;
            }
            else
            {
                q = onlineWorkspace.Forward(obs).ToArray();
            }

            double loss = 0;
            Array.Clear(gradQ);
            for (int i = 0; i < b; i++)
            {
                int slot = i * actionCount + (int)actions[i];
                double d = q[slot] - y[i];
                loss += huber ? (Math.Abs(d) < 1 ? 0.5 * d * d : Math.Abs(d) - 0.5) : d * d;
                gradQ[slot] = (float)((huber ? Math.Clamp(d, -1, 1) : 2 * d) / b);
            }
            Assert.That(loss / b, Is.EqualTo(losses[step]).Within(1e-5 * Math.Abs(losses[step]) + 1e-6), $"loss at step {step}");

            if (autograd)
                qTensor!.Backward(new Tensor(gradQ, b, actionCount));
            else
                onlineWorkspace.Backward(gradQ);
            if (maxGradNorm is { } maxNorm)
                Utils.ClipGradNorm(online.Parameters(), maxNorm);
            optimizer.Step();
        }

        foreach (var (key, value) in online.StateDict())
        {
            float[] want = expected[key].Data;
            double moved = want.Zip(initial[key].Data, (e, w) => Math.Abs(e - w)).Max();
            Assert.That(moved, Is.GreaterThan(1e-4), $"{key}: PyTorch's update moves the weights well beyond the tolerance");
            for (int i = 0; i < want.Length; i++)
                Assert.That(value.Data[i], Is.EqualTo(want[i]).Within(1e-5 + 1e-4 * Math.Abs(want[i])), $"{key}[{i}]");
        }
    }
}
