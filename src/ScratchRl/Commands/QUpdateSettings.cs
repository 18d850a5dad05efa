using System.ComponentModel;
using Spectre.Console.Cli;

namespace ScratchRl.Commands;

/// <summary>The flags of <c>scratchrl q-update</c>; values are checked in <see cref="QUpdateCommand"/>.</summary>
public sealed class QUpdateSettings : CommandSettings
{
    [CommandOption("--weights <FILE>")]
    [Description("The online network: a safetensors state dict of torch.nn.Sequential of Linear and ReLU layers, keys 0.weight, 0.bias, 2.weight and so on (any depth and width). A dueling network (its last layer outputs V and one advantage per action, Q = V + A − mean A) is marked by the metadata \"dueling\": \"true\", as scratchrl train writes model files, or by --dueling.")]
    public string? Weights { get; init; }

    [CommandOption("--target-weights <FILE>")]
    [Description("The target network, same shape as the online one; it never changes.")]
    public string? TargetWeights { get; init; }

    [CommandOption("--batch <FILE>")]
    [Description("The transitions: obs F32 [[B,D]], actions I64 [[B]], rewards F32 [[B]], next_obs F32 [[B,D]], dones F32 [[B]] (1 = terminated). Optional: discounts F32 [[B]], each transition's bootstrap discount in place of γ (γⁿ for n-step returns); weights F32 [[B]], importance-sampling weights, the loss becoming mean(wᵢ·ℓ(δᵢ)).")]
    public string? Batch { get; init; }

    [CommandOption("--gamma <GAMMA>")]
    [Description("Discount γ in y = r + γ·(1 − done)·Q_target(s′, a*), for a batch without discounts. Default: 0.99.")]
    public double Gamma { get; init; } = 0.99;

    [CommandOption("--lr <LR>")]
    [Description("Learning rate. Default: 0.001.")]
    public double Lr { get; init; } = 1e-3;

    [CommandOption("--loss <LOSS>")]
    [Description("huber (smooth L1, β = 1; default) or mse, averaged over the batch.")]
    public string Loss { get; init; } = "huber";

    [CommandOption("--optimizer <OPTIMIZER>")]
    [Description("adam (default; β = (0.9, 0.999), ε = 1e-8) or sgd (plain).")]
    public string Optimizer { get; init; } = "adam";

    [CommandOption("--double")]
    [Description("Double DQN: a* = argmax Q_online(s′, ·), evaluated by the target network.")]
    public bool Double { get; init; }

    [CommandOption("--dueling")]
    [Description("Both networks have a dueling head: their last layer outputs [[V, A₀, …]] and Q = V + A − mean A (needed only when the files' metadata does not say \"dueling\": \"true\").")]
    public bool Dueling { get; init; }

    [CommandOption("--optimizer-state <FILE>")]
    [Description("Start Adam from this state instead of from zero: k.exp_avg and k.exp_avg_sq (F32, the shape of parameter k) for each parameter key k, and step I64 [[1]], the steps already taken, as scratchrl train --dump-update writes it.")]
    public string? OptimizerState { get; init; }

    [CommandOption("--max-grad-norm <X>")]
    [Description("Clip the global gradient norm to X before the optimizer step (clip_grad_norm_). Default: no clipping.")]
    public double? MaxGradNorm { get; init; }

    [CommandOption("--steps <N>")]
    [Description("Updates on the same batch; the optimizer keeps its state, the target network stays fixed. Default: 1.")]
    public int Steps { get; init; } = 1;

    [CommandOption("--out <FILE>")]
    [Description("Where to write the updated online network (safetensors, PyTorch's keys).")]
    public string? Out { get; init; }

    [CommandOption("--explain")]
    [Description("Print the whole update for a person to follow: Q-values (with V, A and mean A for a dueling network), targets (with each transition's discount), TD errors and loss (with the weights), gradient norms, one weight's optimizer step.")]
    public bool Explain { get; init; }

    [CommandOption("--explain-rows <N>")]
    [Description("With --explain: how many transitions of the batch to show. Default: 4.")]
    public int ExplainRows { get; init; } = 4;

    [CommandOption("--graph <FILE>")]
    [Description("Also write the last step's autograd graph, with each node's gradient norm (after clipping, for parameters): FILE.svg (drawn) or FILE.dot (Graphviz).")]
    public string? Graph { get; init; }
}
