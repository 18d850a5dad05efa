using System.Text.Json;
using Training.Config;
using Dqn.Update;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace Dqn.Tests.Update;

/// <summary>One PyTorch 1.13 Q-update from tests/data/reference/qupdate (see its README): inputs, hyperparameters, results.</summary>
internal sealed class ReferenceCase
{
    private ReferenceCase(string name)
    {
        Name = name;
        string dir = Folder(name);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json")));
        JsonElement c = json.RootElement;
        Lr = c.GetProperty("lr").GetDouble();
        Adam = c.GetProperty("optimizer").GetString() switch
        {
            "adam" => true,
            "sgd" => false,
            var other => throw new InvalidDataException($"{name}: unknown optimizer '{other}'."),
        };
        Config = new QUpdateConfig
        {
            Gamma = c.GetProperty("gamma").GetDouble(),
            Loss = c.GetProperty("loss").GetString() == "huber" ? LossKind.Huber : LossKind.Mse,
            DoubleDqn = c.GetProperty("double").GetBoolean(),
            MaxGradNorm = c.GetProperty("max_grad_norm").ValueKind == JsonValueKind.Null ? null : c.GetProperty("max_grad_norm").GetDouble(),
        };
        Losses = [.. c.GetProperty("losses").EnumerateArray().Select(l => l.GetDouble())];
        Args = [.. c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!)];

        Weights = Safetensors.LoadStateDict(Path.Combine(dir, "weights.safetensors"));
        Target = Safetensors.LoadStateDict(Path.Combine(dir, "target.safetensors"));
        Expected = Safetensors.LoadStateDict(Path.Combine(dir, "expected.safetensors"));
        SafetensorsFile batch = SafetensorsFile.Read(Path.Combine(dir, "batch.safetensors"));
        Observations = batch["obs"].ToFloat32Array();
        NextObservations = batch["next_obs"].ToFloat32Array();
        Rewards = batch["rewards"].ToFloat32Array();
        Dones = batch["dones"].ToFloat32Array();
        Actions = batch["actions"].ToInt32Array();
        Discounts = batch.TryGetEntry("discounts", out SafetensorsEntry? discounts) ? discounts.ToFloat32Array() : null;
        SampleWeights = batch.TryGetEntry("weights", out SafetensorsEntry? weights) ? weights.ToFloat32Array() : null;
        ObservationSize = batch["obs"].Shape[1];
    }

    public string Name { get; }

    public double Lr { get; }

    public bool Adam { get; }

    public QUpdateConfig Config { get; }

    /// <summary>PyTorch's loss at each step.</summary>
    public double[] Losses { get; }

    /// <summary>The scratchrl arguments that perform this update, run in the case folder.</summary>
    public string[] Args { get; }

    public int Steps => Losses.Length;

    public IReadOnlyDictionary<string, Tensor> Weights { get; }

    public IReadOnlyDictionary<string, Tensor> Target { get; }

    /// <summary>The online network after PyTorch's update.</summary>
    public IReadOnlyDictionary<string, Tensor> Expected { get; }

    public float[] Observations { get; }

    public float[] NextObservations { get; }

    public float[] Rewards { get; }

    public float[] Dones { get; }

    public int[] Actions { get; }

    /// <summary>The batch's per-transition discounts dᵢ, or null (γ for all).</summary>
    public float[]? Discounts { get; }

    /// <summary>The batch's importance-sampling weights wᵢ, or null (1 for all).</summary>
    public float[]? SampleWeights { get; }

    public int ObservationSize { get; }

    public int BatchSize => Actions.Length;

    public static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "data", "reference", "qupdate", name);

    /// <summary>Every case folder shipped with the tests.</summary>
    public static IEnumerable<string> Names() =>
        Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "data", "reference", "qupdate")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static ReferenceCase Load(string name) => new(name);

    public Sequential OnlineNetwork() => Sequential.MlpFromStateDict(Weights);

    public Sequential TargetNetwork() => Sequential.MlpFromStateDict(Target);

    public Optimizer OptimizerFor(Sequential network) =>
        Adam ? new Adam(network.Parameters(), Lr) : new SGD(network.Parameters(), Lr);

    public QBatch Batch() => new(
        new Tensor((float[])Observations.Clone(), BatchSize, ObservationSize),
        (int[])Actions.Clone(),
        new Tensor((float[])Rewards.Clone(), BatchSize),
        new Tensor((float[])NextObservations.Clone(), BatchSize, ObservationSize),
        new Tensor((float[])Dones.Clone(), BatchSize),
        Discounts is null ? null : new Tensor((float[])Discounts.Clone(), BatchSize),
        SampleWeights is null ? null : new Tensor((float[])SampleWeights.Clone(), BatchSize));
}
