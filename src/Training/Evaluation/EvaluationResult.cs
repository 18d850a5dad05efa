using System.Numerics.Tensors;

namespace Training.Evaluation;

/// <summary>
/// Returns of a set of evaluation episodes and their summary. <see cref="Std"/> is the population standard deviation
/// (ddof = 0, like <c>np.std</c> and SB3's <c>evaluate_policy</c>).
/// </summary>
public sealed record EvaluationResult
{
    /// <summary>The statistics of the episodes with <paramref name="returns"/> and <paramref name="lengths"/>.</summary>
    /// <exception cref="ArgumentException">When there is no episode, or the two lists differ in length.</exception>
    public EvaluationResult(IReadOnlyList<double> returns, IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(returns);
        ArgumentNullException.ThrowIfNull(lengths);
        if (returns.Count == 0)
            throw new ArgumentException("An evaluation needs at least one episode.", nameof(returns));
        if (lengths.Count != returns.Count)
            throw new ArgumentException($"Got {returns.Count} returns but {lengths.Count} lengths.", nameof(lengths));
        double[] r = [.. returns];
        Returns = r;
        Lengths = [.. lengths];
        // mean = Σ rᵢ / n,  std = √(Σ (rᵢ − mean)² / n)
        Mean = TensorPrimitives.Sum<double>(r) / r.Length;
        var deviations = new double[r.Length];
        TensorPrimitives.Subtract(r, Mean, deviations);
        Std = Math.Sqrt(TensorPrimitives.SumOfSquares<double>(deviations) / r.Length);
        Min = TensorPrimitives.Min<double>(r);
        Max = TensorPrimitives.Max<double>(r);
    }

    /// <summary>Each episode's undiscounted return, in episode order.</summary>
    public IReadOnlyList<double> Returns { get; }

    /// <summary>Each episode's steps, in episode order.</summary>
    public IReadOnlyList<int> Lengths { get; }

    /// <summary>n, the episodes played.</summary>
    public int Episodes => Returns.Count;

    /// <summary>Mean return, Σ rᵢ / n.</summary>
    public double Mean { get; }

    /// <summary>Population standard deviation of the returns, √(Σ (rᵢ − mean)² / n) (NumPy's <c>np.std</c>).</summary>
    public double Std { get; }

    /// <summary>Lowest return.</summary>
    public double Min { get; }

    /// <summary>Highest return.</summary>
    public double Max { get; }
}
