using System.Globalization;
using Training.Config;
using Dqn.Update;
using ScratchRl.Cli;
using Spectre.Console.Cli;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace ScratchRl.Commands;

/// <summary>
/// <c>scratchrl q-update</c>: loads an online and a target MLP (plain or dueling) and a batch of transitions (with
/// optional per-transition discounts and importance-sampling weights) from safetensors files, optionally Adam's state,
/// applies <c>--steps</c> DQN updates (<see cref="QUpdate.Step"/>) on that batch, prints each step's loss and writes
/// the updated online network with PyTorch's keys. With <c>--explain</c> it prints every intermediate value first.
/// </summary>
public sealed class QUpdateCommand : Command<QUpdateSettings>
{
    public override int Execute(CommandContext context, QUpdateSettings settings, CancellationToken cancellationToken) =>
        Run(settings, Console.Out, cancellationToken);

    /// <summary>The command on parsed settings, printing to <paramref name="output"/> (train --explain-update replays a dumped update through it).</summary>
    internal static int Run(QUpdateSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var (config, adam) = Check(settings);
        OutputFile.Check("--out", settings.Out!);
        var (online, onlineDueling) = QUpdateInputs.LoadNetwork(settings.Weights!, "--weights");
        var (target, targetDueling) = QUpdateInputs.LoadNetwork(settings.TargetWeights!, "--target-weights");
        string shape = QUpdateInputs.Describe(online), targetShape = QUpdateInputs.Describe(target);
        if (shape != targetShape)
            throw new UsageException($"the online network ({settings.Weights}) is {shape} but the target network ({settings.TargetWeights}) is {targetShape}; they must have the same shape.");
        bool dueling = Dueling(settings, onlineDueling, targetDueling);
        int outputs = ((Linear)online[^1]).OutFeatures;
        if (dueling && outputs < 2)
            throw new UsageException($"a dueling network's last layer outputs V and at least one advantage, but {settings.Weights} outputs {outputs} value.");
        int actions = dueling ? outputs - 1 : outputs;
        QBatch batch = QUpdateInputs.LoadBatch(settings.Batch!, ((Linear)online[0]).InFeatures, actions);
        Optimizer optimizer = adam ? new Adam(online.Parameters(), settings.Lr) : new SGD(online.Parameters(), settings.Lr);
        if (settings.OptimizerState is { } statePath)
            QUpdateInputs.LoadOptimizerState(statePath, optimizer, online);

        var explainer = settings.Explain ? new QUpdateExplanationWriter(output, settings.ExplainRows) : null;
        explainer?.WriteHeader(dueling ? $"a dueling MLP {shape} (V and {actions} advantages)" : $"an MLP {shape}", batch, config, optimizer, settings.Steps);
        AutogradGraph? graph = null;
        for (int step = 1; step <= settings.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Action<Tensor>? trace = settings.Graph is not null && step == settings.Steps
                ? loss => graph = AutogradGraph.Trace(loss, [.. online.NamedParameters(), ("obs", batch.Observations)]).RetainGrads()
                : null;
            QUpdateResult result = QUpdate.Step(online, target, optimizer, batch, config, dueling, settings.Explain, trace);
            explainer?.WriteStep(step, batch, config, result.Explanation!);
            output.WriteLine($"step {step} loss {result.Loss.ToString(CultureInfo.InvariantCulture)}");
        }
        OutputFile.Write("--out", settings.Out!, path => Safetensors.SaveStateDict(path, online.StateDict()));
        if (graph is not null)
            AtomicFile.WriteAllText(settings.Graph!, Path.GetExtension(settings.Graph!).Equals(".svg", StringComparison.OrdinalIgnoreCase) ? graph.ToSvg() : graph.ToDot());
        return ScratchRlApp.Success;
    }

    /// <summary>The update's configuration and whether the optimizer is Adam, or a usage error naming the flag.</summary>
    private static (QUpdateConfig Config, bool Adam) Check(QUpdateSettings s)
    {
        Require(s.Weights, "--weights <FILE> (the online network)");
        Require(s.TargetWeights, "--target-weights <FILE> (the target network)");
        Require(s.Batch, "--batch <FILE> (the transitions)");
        Require(s.Out, "--out <FILE> (where to write the updated network)");
        LossKind loss = s.Loss.ToLowerInvariant() switch
        {
            "huber" => LossKind.Huber,
            "mse" => LossKind.Mse,
            _ => throw new UsageException($"--loss must be huber or mse, got '{s.Loss}'."),
        };
        bool adam = s.Optimizer.ToLowerInvariant() switch
        {
            "adam" => true,
            "sgd" => false,
            _ => throw new UsageException($"--optimizer must be adam or sgd, got '{s.Optimizer}'."),
        };
        if (!double.IsFinite(s.Gamma))
            throw new UsageException($"--gamma must be a finite number, got {Format(s.Gamma)}.");
        if (!(s.Lr >= 0) || !double.IsFinite(s.Lr))
            throw new UsageException($"--lr must be a finite number >= 0, got {Format(s.Lr)}.");
        if (s.MaxGradNorm is { } maxNorm && (!(maxNorm >= 0) || !double.IsFinite(maxNorm)))
            throw new UsageException($"--max-grad-norm must be a finite number >= 0, got {Format(maxNorm)}.");
        TrainArguments.AtLeastOne("--steps", s.Steps);
        if (s.Graph is not null && Path.GetExtension(s.Graph).ToLowerInvariant() is not (".svg" or ".dot"))
            throw new UsageException($"--graph must name a .svg or .dot file, got '{s.Graph}'.");
        TrainArguments.AtLeastOne("--explain-rows", s.ExplainRows);
        if (s.OptimizerState is "")
            throw new UsageException("--optimizer-state needs a file.");
        if (s.OptimizerState is not null && !adam)
            throw new UsageException($"--optimizer-state holds Adam's moments; it needs --optimizer adam, got '{s.Optimizer}'.");
        return (new QUpdateConfig { Gamma = s.Gamma, Loss = loss, DoubleDqn = s.Double, MaxGradNorm = s.MaxGradNorm }, adam);
    }

    /// <summary>
    /// Whether both networks have a dueling head: <c>--dueling</c>, or a file's metadata <c>"dueling": "true"</c>. A file
    /// whose metadata says "false" contradicts either and is a usage error.
    /// </summary>
    private static bool Dueling(QUpdateSettings s, bool? online, bool? target)
    {
        bool dueling = s.Dueling || online == true || target == true;
        if (dueling && online == false)
            throw new UsageException($"--weights {s.Weights}: its metadata says \"dueling\": \"false\", but {(s.Dueling ? "--dueling was given" : $"the target network {s.TargetWeights} is dueling")}.");
        if (dueling && target == false)
            throw new UsageException($"--target-weights {s.TargetWeights}: its metadata says \"dueling\": \"false\", but {(s.Dueling ? "--dueling was given" : $"the online network {s.Weights} is dueling")}.");
        return dueling;
    }

    private static void Require(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
            throw new UsageException($"missing {what}.");
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
