using System.Numerics.Tensors;
using TinyTorch;

namespace Training.Policies;

/// <summary>
/// ε-greedy exploration as in CleanRL: with probability ε take a uniformly random action, otherwise the greedy one.
/// The draw order is fixed (one uniform always, then one integer only when exploring) so a seed reproduces a run.
/// </summary>
public static class EpsilonGreedy
{
    /// <summary>
    /// True (and a random action in <paramref name="action"/>) with probability <paramref name="epsilon"/>; false
    /// means the caller takes its greedy action, so the Q-values are only computed when they are needed.
    /// </summary>
    public static bool TryExplore(double epsilon, int actionCount, Rng rng, out int action)
    {
        if (rng.NextDouble() < epsilon)
        {
            action = rng.NextInt(actionCount);
            return true;
        }
        action = -1;
        return false;
    }

    /// <summary>The first index of the largest value (ties go to the lowest action, like NumPy's and PyTorch's argmax).</summary>
    public static int Argmax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            throw new ArgumentException("Cannot take the argmax of no values.", nameof(values));
        return TensorPrimitives.IndexOfMax(values);
    }
}
