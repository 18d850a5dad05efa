using TinyTorch;

namespace Dqn.Update;

/// <summary>
/// A minibatch of B transitions (s, a, r, s′, done) as tensors, for the readable <see cref="QUpdate"/>:
/// <see cref="Observations"/> s [B, D], <see cref="Actions"/> a [B], <see cref="Rewards"/> r [B],
/// <see cref="NextObservations"/> s′ [B, D] and <see cref="Terminated"/> [B] (1 when s′ is terminal, so nothing is
/// bootstrapped from it; 0 otherwise). Optional, as training produces them:
/// <see cref="Discounts"/> dᵢ [B], the bootstrap discount of each transition in place of γ (γⁿ for an n-step return,
/// fewer powers when the episode ended sooner), and <see cref="Weights"/> wᵢ [B], the importance-sampling weights of
/// prioritized replay (the loss becomes (1/B)·Σ wᵢ·ℓ(δᵢ)). The training loop hands spans to <see cref="FastQUpdate"/> instead.
/// </summary>
public sealed record QBatch(
    Tensor Observations, int[] Actions, Tensor Rewards, Tensor NextObservations, Tensor Terminated,
    Tensor? Discounts = null, Tensor? Weights = null)
{
    /// <summary>B, the number of transitions.</summary>
    public int Size => Actions.Length;

    /// <summary>
    /// Checks the shapes against a network with <paramref name="observationSize"/> inputs and
    /// <paramref name="actionCount"/> actions, and that every action is in [0, actionCount).
    /// The message names the field (as the batch file calls it: obs, next_obs, rewards, dones, discounts, weights,
    /// actions), its shape and what was expected. Discounts and weights, when present, must be finite.
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not fit, the batch is empty, an action is out of range, or a discount or weight is not finite.</exception>
    public void Validate(int observationSize, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(Observations);
        ArgumentNullException.ThrowIfNull(Actions);
        ArgumentNullException.ThrowIfNull(Rewards);
        ArgumentNullException.ThrowIfNull(NextObservations);
        ArgumentNullException.ThrowIfNull(Terminated);
        int b = Actions.Length;
        if (b == 0)
            throw new ArgumentException("The batch is empty: a Q-update needs at least one transition.");
        RequireShape("obs", Observations, [b, observationSize]);
        RequireShape("next_obs", NextObservations, [b, observationSize]);
        RequireShape("rewards", Rewards, [b]);
        RequireShape("dones", Terminated, [b]);
        RequireFinite("discounts", Discounts, b);
        RequireFinite("weights", Weights, b);
        for (int i = 0; i < b; i++)
            if ((uint)Actions[i] >= (uint)actionCount)
                throw new ArgumentException($"actions[{i}] is {Actions[i]}, but the network has {actionCount} actions (valid: 0..{actionCount - 1}).");
    }

    /// <summary>An optional per-transition entry: absent, or [B] finite numbers.</summary>
    private static void RequireFinite(string name, Tensor? tensor, int b)
    {
        if (tensor is null)
            return;
        RequireShape(name, tensor, [b]);
        for (int i = 0; i < b; i++)
            if (!float.IsFinite(tensor.Data[i]))
                throw new ArgumentException($"{name}[{i}] is {tensor.Data[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; expected a finite number.");
    }

    private static void RequireShape(string name, Tensor tensor, int[] expected)
    {
        if (!tensor.Shape.SequenceEqual(expected))
            throw new ArgumentException($"{name} has shape {Tensor.FormatShape(tensor.Shape)}; expected {Tensor.FormatShape(expected)} (batch of {expected[0]}{(expected.Length > 1 ? $", {expected[1]} network inputs" : "")}).");
    }
}
