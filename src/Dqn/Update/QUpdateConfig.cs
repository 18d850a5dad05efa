using System.Globalization;
using Training.Config;

namespace Dqn.Update;

/// <summary>
/// The hyperparameters of one DQN gradient step, named as in the papers: the target
/// y = r + γ·(1 − done)·Q_target(s′, a*) (a batch's own per-transition discounts replace γ), the loss ℓ between
/// Q(s, a) and y, and the gradient clipping before the optimizer step. The learning rate belongs to the optimizer;
/// whether the networks have a dueling head is said next to the networks. Invalid values are refused when set.
/// </summary>
public sealed record QUpdateConfig
{
    /// <summary>γ, the discount of the bootstrapped value for a batch without its own discounts (any finite number; 0.99 in CleanRL).</summary>
    public double Gamma
    {
        get;
        init => field = double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Gamma), value, $"gamma must be a finite number, got {Format(value)}.");
    } = 0.99;

    /// <summary>ℓ: Huber (smooth L1) or squared error.</summary>
    public LossKind Loss
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Loss), value, $"loss must be Huber or Mse, got {value}.");
    } = LossKind.Huber;

    /// <summary>β of the Huber loss, where it turns from quadratic to linear (PyTorch's default 1).</summary>
    public double HuberBeta
    {
        get;
        init => field = value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(HuberBeta), value, $"the Huber beta must be a positive finite number, got {Format(value)}.");
    } = 1.0;

    /// <summary>Double DQN (van Hasselt et al., 2016): a* = argmax_a′ Q_online(s′, a′), rated by the target network.</summary>
    public bool DoubleDqn { get; init; }

    /// <summary>Scale the gradients so their global 2-norm is at most this (<c>clip_grad_norm_</c>); null: no clipping.</summary>
    public double? MaxGradNorm
    {
        get;
        init => field = value is null || (value >= 0 && double.IsFinite(value.Value))
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), value, $"max_grad_norm must be a finite number >= 0, got {Format(value.Value)}.");
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
