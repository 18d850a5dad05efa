using System.Numerics.Tensors;

namespace Training.Evaluation;

/// <summary>
/// Returns of a set of evaluation episodes and their summary. <see cref="Std"/> is the population standard deviation
/// (ddof = 0, like <c>np.std</c> and SB3's <c>evaluate_policy</c>).
/// </summary>
public sealed record EvaluationResult
{
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

    public IReadOnlyList<double> Returns { get; }

    public IReadOnlyList<int> Lengths { get; }

    public int Episodes => Returns.Count;

    public double Mean { get; }

    public double Std { get; }

    public double Min { get; }

    public double Max { get; }
}
