using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dqn.Training;
using TinyTorch.IO;
using Training.Config;

namespace ScratchRl.Commands;

/// <summary>
/// A gradient step of a training run written by <see cref="UpdateDump"/>, phrased as the <c>scratchrl q-update</c> call
/// that replays it: <c>case.json</c> (the hyperparameters, the loss, and <c>args</c>, as in the reference cases) and
/// the same call as parsed settings, for <c>train --explain-update</c>.
/// </summary>
internal static class UpdateCase
{
    public const string CaseFile = "case.json";
    public const string ReplayOutFile = "out.safetensors";

    /// <summary>The q-update arguments that replay the dump, with file names relative to its folder.</summary>
    public static string[] Args(UpdateDump dump, TrainConfig config)
    {
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string>
        {
            "q-update", "--weights", UpdateDump.WeightsFile, "--target-weights", UpdateDump.TargetFile, "--batch", UpdateDump.BatchFile,
            "--gamma", config.Gamma.ToString("R", inv), "--lr", config.LearningRate.ToString("R", inv),
            "--loss", config.Loss == LossKind.Huber ? "huber" : "mse",
            "--optimizer", config.Optimizer == OptimizerKind.Adam ? "adam" : "sgd",
        };
        if (config.DoubleDqn)
            args.Add("--double");
        if (config.Dueling)
            args.Add("--dueling");
        if (config.MaxGradNorm is { } norm)
            args.AddRange(["--max-grad-norm", norm.ToString("R", inv)]);
        if (dump.HasOptimizerState)
            args.AddRange(["--optimizer-state", UpdateDump.OptimizerFile]);
        args.AddRange(["--steps", "1", "--out", ReplayOutFile]);
        return [.. args];
    }

    /// <summary>The same call as <see cref="Args"/>, as settings with the dump's paths and the given output file.</summary>
    public static QUpdateSettings Settings(UpdateDump dump, TrainConfig config, string outFile, bool explain) => new()
    {
        Weights = Path.Combine(dump.Folder, UpdateDump.WeightsFile),
        TargetWeights = Path.Combine(dump.Folder, UpdateDump.TargetFile),
        Batch = Path.Combine(dump.Folder, UpdateDump.BatchFile),
        Gamma = config.Gamma,
        Lr = config.LearningRate,
        Loss = config.Loss == LossKind.Huber ? "huber" : "mse",
        Optimizer = config.Optimizer == OptimizerKind.Adam ? "adam" : "sgd",
        Double = config.DoubleDqn,
        Dueling = config.Dueling,
        MaxGradNorm = config.MaxGradNorm,
        OptimizerState = dump.HasOptimizerState ? Path.Combine(dump.Folder, UpdateDump.OptimizerFile) : null,
        Steps = 1,
        Out = outFile,
        Explain = explain,
    };

    /// <summary>Writes case.json beside the dump's tensors (atomically), in the reference cases' layout.</summary>
    public static void WriteCaseJson(UpdateDump dump, TrainConfig config)
    {
        var json = new JsonObject
        {
            ["update"] = dump.Update,
            ["gamma"] = config.Gamma,
            ["n_step"] = config.NStep,
            ["lr"] = config.LearningRate,
            ["loss"] = config.Loss == LossKind.Huber ? "huber" : "mse",
            ["optimizer"] = config.Optimizer == OptimizerKind.Adam ? "adam" : "sgd",
            ["double"] = config.DoubleDqn,
            ["dueling"] = config.Dueling,
            ["prioritized"] = config.Prioritized,
            ["max_grad_norm"] = config.MaxGradNorm,
            ["steps"] = 1,
            ["losses"] = new JsonArray(dump.Loss),
            ["args"] = new JsonArray([.. Args(dump, config).Select(a => JsonValue.Create(a))]),
        };
        AtomicFile.WriteAllText(Path.Combine(dump.Folder, CaseFile), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
