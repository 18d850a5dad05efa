using TinyTorch;

namespace Dqn.Update;

/// <summary>
/// The dueling head's parts for a batch, as the explanation shows them: <see cref="V"/> V(s) [B],
/// <see cref="Advantages"/> A(s, ·) [B, A] and <see cref="MeanAdvantage"/> (1/|A|)·Σ_a A(s, a) [B], so that
/// Q(s, a) = V(s) + A(s, a) − mean A(s, ·).
/// </summary>
public sealed record DuelingValues(Tensor V, Tensor Advantages, Tensor MeanAdvantage)
{
    /// <summary>Splits a network output [B, 1 + A] (a copy, without gradient).</summary>
    public static DuelingValues Of(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using (Torch.NoGrad())
        {
            Tensor detached = output.Detach();
            Tensor advantages = detached.Narrow(1, 1, output.Size(1) - 1);
            return new DuelingValues(detached.Narrow(1, 0, 1).Reshape(output.Size(0)), advantages, advantages.Mean(1));
        }
    }
}
