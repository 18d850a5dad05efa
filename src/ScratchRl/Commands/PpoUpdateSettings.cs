using System.ComponentModel;
using Spectre.Console.Cli;

namespace ScratchRl.Commands;

/// <summary>The flags of <c>scratchrl ppo-update</c>, named as CleanRL's ppo.py arguments; values are checked in <see cref="PpoUpdateCommand"/>.</summary>
public sealed class PpoUpdateSettings : CommandSettings
{
    [CommandOption("--weights <FILE>")]
    [Description("The agent: a safetensors state dict with CleanRL's Agent keys actor.0.weight, ..., critic.0.weight, ... (Linear layers with Tanh between them; any depth and width).")]
    public string? Weights { get; init; }

    [CommandOption("--batch <FILE>")]
    [Description("The minibatch: obs F32 [[B,D]], actions I64 [[B]], logprobs F32 [[B]] (log π_old(a|s)), advantages, returns, values F32 [[B]].")]
    public string? Batch { get; init; }

    [CommandOption("--lr <LR>")]
    [Description("Adam's learning rate (required).")]
    public double? Lr { get; init; }

    [CommandOption("--clip-coef <EPS>")]
    [Description("ε: the ratio is clipped to [[1 − ε, 1 + ε]], the value change to [[−ε, ε]]. Default: 0.2.")]
    public double ClipCoef { get; init; } = 0.2;

    [CommandOption("--ent-coef <C>")]
    [Description("Weight of the entropy bonus subtracted from the loss. Default: 0.01.")]
    public double EntCoef { get; init; } = 0.01;

    [CommandOption("--vf-coef <C>")]
    [Description("Weight of the value loss. Default: 0.5.")]
    public double VfCoef { get; init; } = 0.5;

    [CommandOption("--max-grad-norm <X>")]
    [Description("Clip the gradient norm over actor and critic together to X (clip_grad_norm_), or none. Default: 0.5.")]
    public string MaxGradNorm { get; init; } = "0.5";

    [CommandOption("--no-norm-adv")]
    [Description("Use the advantages as given instead of normalising them to mean 0 and (unbiased) std 1.")]
    public bool NoNormAdv { get; init; }

    [CommandOption("--no-clip-vloss")]
    [Description("Value loss ½·mean((V − R)²) without CleanRL's clipping.")]
    public bool NoClipVloss { get; init; }

    [CommandOption("--adam-eps <EPS>")]
    [Description("Adam's ε. Default: 1e-5 (CleanRL's).")]
    public double AdamEps { get; init; } = 1e-5;

    [CommandOption("--steps <N>")]
    [Description("Updates on the same batch (required); Adam keeps its state between them.")]
    public int? Steps { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("Where to write the updated agent (safetensors, CleanRL's Agent keys).")]
    public string? Out { get; init; }

    [CommandOption("--json")]
    [Description("One JSON object per step on stdout: step, loss, pg_loss, v_loss, entropy, approx_kl, clipfrac (before that step's optimizer step).")]
    public bool Json { get; init; }

    [CommandOption("--explain")]
    [Description("Print the whole update for a person to follow: log-probabilities, ratios, surrogates, value losses, loss terms, gradient norms, one weight's Adam step.")]
    public bool Explain { get; init; }

    [CommandOption("--explain-rows <N>")]
    [Description("With --explain: how many rows of the batch to show. Default: 4.")]
    public int ExplainRows { get; init; } = 4;
}
