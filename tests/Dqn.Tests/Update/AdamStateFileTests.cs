using Dqn.Update;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace Dqn.Tests.Update;

/// <summary>
/// <see cref="AdamStateFile"/> writes the README's optimizer-state format (keys, dtypes, shapes, <c>step</c>), and an
/// Adam loaded from it takes the same next steps as the one that wrote it; mismatched optimizers are refused.
/// </summary>
public class AdamStateFileTests
{
    [Test]
    public void SavedStateResumesTheSameSteps()
    {
        var p = new RandomProblem(5);
        var online = p.CopyOfOnline();
        var target = p.Target();
        var adam = new Adam(online.Parameters(), 1e-2);
        for (int step = 0; step < 2; step++)
            QUpdate.Step(online, target, adam, p.Batch(), p.Config, p.Dueling);
        string path = Path.Combine(Path.GetTempPath(), $"adam-state-{Guid.NewGuid():N}.safetensors");
        try
        {
            AdamStateFile.Save(path, adam, online);
            SafetensorsFile file = SafetensorsFile.Read(path);
            string[] keys = [.. online.StateDict().Keys];
            Assert.That(file.Entries.Select(e => e.Name), Is.EquivalentTo(keys.SelectMany(k => new[] { k + ".exp_avg", k + ".exp_avg_sq" }).Append("step")));
            Assert.That(file["step"].ToString(), Is.EqualTo("step: I64 [1]"));
            Assert.That(file["step"].ToInt64Array()[0], Is.EqualTo(2));
            OptimizerState state = adam.StateDict();
            for (int i = 0; i < keys.Length; i++)
            {
                Assert.That(file[keys[i] + ".exp_avg"].ToTensor().Shape.ToArray(), Is.EqualTo(online.Parameters()[i].Shape.ToArray()));
                Assert.That(file[keys[i] + ".exp_avg"].ToFloat32Array(), Is.EqualTo(state.Tensors[$"{i}.exp_avg"].Data), keys[i]);
                Assert.That(file[keys[i] + ".exp_avg_sq"].ToFloat32Array(), Is.EqualTo(state.Tensors[$"{i}.exp_avg_sq"].Data), keys[i]);
            }

            var copy = Sequential.MlpFromStateDict(Weights.Snapshot(online));
            var resumed = new Adam(copy.Parameters(), 1e-2);
            AdamStateFile.Load(path, resumed, copy);
            Assert.That(resumed.StepCount, Is.EqualTo(2));
            QUpdate.Step(online, target, adam, p.Batch(), p.Config, p.Dueling);
            QUpdate.Step(copy, target, resumed, p.Batch(), p.Config, p.Dueling);
            foreach (var (key, value) in online.StateDict())
                Assert.That(copy.StateDict()[key].Data, Is.EqualTo(value.Data), key);

            Assert.That(() => AdamStateFile.Load(path, new SGD(copy.Parameters(), 0.1), copy),
                Throws.ArgumentException.With.Message.Contains("plain Adam's moments; the optimizer is SGD"));
            Assert.That(() => AdamStateFile.Load(path, new Adam(copy.Parameters(), amsgrad: true), copy),
                Throws.ArgumentException.With.Message.Contains("AMSGrad"));
            Assert.That(() => AdamStateFile.Load(path, new Adam(copy.Parameters()), p.Target()),
                Throws.ArgumentException.With.Message.Contains("not a parameter of the network"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
