using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Dqn.Update;

/// <summary>
/// The dueling head (Wang et al., 2016) on top of a plain MLP whose output row is [V, A₀, …, A_{n−1}] (1 + n values):
/// Q(s, a) = V(s) + A(s, a) − (1/n)·Σ_a′ A(s, a′). Subtracting the mean advantage makes V and A identifiable
/// (adding c to V and −c to every A would otherwise give the same Q).
/// </summary>
internal static class DuelingHead
{
    /// <summary>Q [B, n] from the network output [B, 1 + n], row by row.</summary>
    public static void Forward(ReadOnlySpan<float> output, int actionCount, Span<float> q)
    {
        int rows = CheckShapes(output.Length, actionCount, q.Length, nameof(output));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = output.Slice(r * (actionCount + 1), actionCount + 1);
            ReadOnlySpan<float> advantages = row[1..];
            // Q_a = V + A_a − mean_a′ A_a′
            float offset = row[0] - TensorPrimitives.Sum(advantages) / actionCount;
            TensorPrimitives.Add(advantages, offset, q.Slice(r * actionCount, actionCount));
        }
    }

    /// <summary>
    /// The chain rule through <see cref="Forward"/>: ∂L/∂output [B, 1 + n] from ∂L/∂Q [B, n].
    /// Q_a depends on V with slope 1 and on A_c with slope [a = c] − 1/n, so
    /// ∂L/∂V = Σ_a ∂L/∂Q_a and ∂L/∂A_c = ∂L/∂Q_c − (1/n)·Σ_a ∂L/∂Q_a.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> gradQ, int actionCount, Span<float> gradOutput)
    {
        int rows = CheckShapes(gradOutput.Length, actionCount, gradQ.Length, nameof(gradOutput));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> gq = gradQ.Slice(r * actionCount, actionCount);
            Span<float> row = gradOutput.Slice(r * (actionCount + 1), actionCount + 1);
            // ∂L/∂V = Σ_a ∂L/∂Q_a
            float sum = TensorPrimitives.Sum(gq);
            row[0] = sum;
            // ∂L/∂A_c = ∂L/∂Q_c − mean_a ∂L/∂Q_a
            TensorPrimitives.Subtract(gq, sum / actionCount, row[1..]);
        }
    }

    private static int CheckShapes(int outputLength, int actionCount, int qLength, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        int rows = qLength / actionCount;
        if (qLength % actionCount != 0 || outputLength != rows * (actionCount + 1))
            throw new ArgumentException($"DuelingHead: {outputLength} network outputs and {qLength} Q-values do not form rows of 1 + {actionCount} and {actionCount} values.", paramName);
        return rows;
    }
}
