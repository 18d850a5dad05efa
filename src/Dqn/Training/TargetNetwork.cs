using System.Numerics.Tensors;
using TinyTorch.Nn;
using Training.Runs;

namespace Dqn.Training;

/// <summary>
/// Keeping the target network θ′ behind the online network θ (Mnih et al. 2015: "every C updates we clone the network
/// Q to obtain a target network Q̂"; Lillicrap et al. 2016: soft updates). Both networks must have the same layout.
/// </summary>
internal static class TargetNetwork
{
    /// <summary>
    /// θ′ ← τ·θ + (1 − τ)·θ′ for every parameter, as CleanRL and SB3 write it
    /// (<c>target.copy_(tau * q + (1.0 - tau) * target)</c>, in float32). τ = 1 is the hard copy θ′ ← θ, done as an
    /// exact copy.
    /// </summary>
    public static void Update(Sequential online, Sequential target, double tau)
    {
        ArgumentNullException.ThrowIfNull(online);
        ArgumentNullException.ThrowIfNull(target);
        if (!(tau > 0 && tau <= 1))
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "tau must be in (0, 1].");
        var from = online.Parameters();
        var to = target.Parameters();
        if (from.Count != to.Count)
            throw new ArgumentException($"The online network has {from.Count} parameter tensors but the target network has {to.Count}.", nameof(target));
        float t = (float)tau, keep = (float)(1 - tau);
        for (int i = 0; i < from.Count; i++)
        {
            Span<float> theta = from[i].Data, thetaTarget = to[i].Data;
            if (theta.Length != thetaTarget.Length)
                throw new ArgumentException($"Parameter {i} has {theta.Length} values in the online network but {thetaTarget.Length} in the target network.", nameof(target));
            if (tau == 1)
            {
                // θ′ ← θ
                theta.CopyTo(thetaTarget);
            }
            else
            {
                // θ′ ← (1 − τ)·θ′ + τ·θ: two roundings, like PyTorch's two tensor products and one sum
                TensorPrimitives.Multiply(thetaTarget, keep, thetaTarget);
                TensorPrimitives.MultiplyAdd(theta, t, thetaTarget, thetaTarget);
            }
        }
    }

    /// <summary>θ′ ← θ: copies every parameter of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Copy(Sequential source, Sequential destination) => Update(source, destination, 1.0);
}
