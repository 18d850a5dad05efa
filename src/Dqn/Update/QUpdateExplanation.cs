using TinyTorch;

namespace Dqn.Update;

/// <summary>
/// Every intermediate value of one <see cref="QUpdate.Step"/>, for a person to follow (<c>scratchrl q-update --explain</c>).
/// Tensors are copies, [B, A] or [B], taken before the optimizer step.
/// </summary>
/// <param name="Q">Q(s, ·) = Q_online(s) [B, A].</param>
/// <param name="Dueling">With a dueling head, V(s), A(s, ·) and mean A(s, ·) that make up <paramref name="Q"/>; else null.</param>
/// <param name="Actions">a, the actions taken.</param>
/// <param name="QTaken">Q(s, a) [B].</param>
/// <param name="NextQTarget">Q_target(s′, ·) [B, A].</param>
/// <param name="NextQOnline">Q_online(s′, ·) [B, A] with Double DQN (it picks a*), else null.</param>
/// <param name="NextActions">a*: argmax of Q_target(s′, ·), or of Q_online(s′, ·) with Double DQN.</param>
/// <param name="NextValue">Q_target(s′, a*) [B] (the target's max without Double DQN).</param>
/// <param name="Discounts">dᵢ [B] when the batch has its own discounts (else γ for all, and null here).</param>
/// <param name="Y">y = r + dᵢ·(1 − done)·Q_target(s′, a*) [B].</param>
/// <param name="TdErrors">δ = Q(s, a) − y [B].</param>
/// <param name="SampleLosses">ℓ(δ) [B].</param>
/// <param name="Weights">wᵢ [B] when the batch has importance-sampling weights (else 1 for all, and null here).</param>
/// <param name="LossGradient">∂L/∂Q(s, a) = wᵢ·ℓ′(δᵢ)/B [B], the gradient that backward starts from.</param>
/// <param name="Loss">L = (1/B)·Σ wᵢ·ℓ(δᵢ).</param>
/// <param name="Chain">Backward written out module by module for the transition with the largest share of <paramref name="Weight"/>'s gradient.</param>
/// <param name="GradNorms">‖∂L/∂p‖ of each parameter before clipping.</param>
/// <param name="TotalGradNorm">The global norm √(Σ ‖∂L/∂p‖²) before clipping.</param>
/// <param name="ClipCoefficient">min(1, max_norm/(total + 1e-6)) when clipping is on, else null.</param>
/// <param name="Weight">One weight followed through the optimizer step.</param>
public sealed record QUpdateExplanation(
    Tensor Q,
    DuelingValues? Dueling,
    int[] Actions,
    Tensor QTaken,
    Tensor NextQTarget,
    Tensor? NextQOnline,
    int[] NextActions,
    Tensor NextValue,
    Tensor? Discounts,
    Tensor Y,
    Tensor TdErrors,
    Tensor SampleLosses,
    Tensor? Weights,
    Tensor LossGradient,
    float Loss,
    BackpropChain Chain,
    IReadOnlyList<ParameterGradNorm> GradNorms,
    double TotalGradNorm,
    double? ClipCoefficient,
    WeightStep Weight);
