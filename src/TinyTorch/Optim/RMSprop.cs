using System.Numerics.Tensors;

namespace TinyTorch.Optim;

/// <summary>
/// RMSprop (Hinton's lecture 6e; Graves, 2013 for the centered form), following PyTorch's <c>torch.optim.RMSprop</c>.
/// With γ = lr, α = alpha, ε = eps, λ = weight decay, μ = momentum:
/// <code>
/// g ← g + λ·θ
/// v ← α·v + (1 − α)·g²
/// ḡ ← α·ḡ + (1 − α)·g,  avg = √(v − ḡ²) + ε       (centered)
///                        avg = √v + ε              (otherwise)
/// b ← μ·b + g / avg,  θ ← θ − γ·b                  (μ &gt; 0)
/// θ ← θ − γ·g / avg                                (μ = 0)
/// </code>
/// </summary>
public sealed class RMSprop : Optimizer
{
    private const int SquareAvg = 0;
    private readonly int _momentumBuffer = -1, _gradAvg = -1;
    private readonly float[] _g, _avg;

    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">γ.</param>
    /// <param name="alpha">α, the decay of the mean square v.</param>
    /// <param name="eps">ε, added to the denominator.</param>
    /// <param name="weightDecay">λ, L2 penalty added to the gradient.</param>
    /// <param name="momentum">μ; 0 for none.</param>
    /// <param name="centered">Normalize by the variance estimate v − ḡ² instead of v.</param>
    /// <exception cref="ArgumentException">When <paramref name="parameters"/> is empty, holds a non-leaf or a tensor twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When lr, alpha, eps, weightDecay or momentum is negative.</exception>
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, lr, StateNames(momentum, centered))
    {
        Alpha = RequireNonNegative(alpha, nameof(alpha), "alpha value");
        Eps = RequireNonNegative(eps, nameof(eps), "epsilon value");
        WeightDecay = RequireNonNegative(weightDecay, nameof(weightDecay), "weight_decay value");
        Momentum = RequireNonNegative(momentum, nameof(momentum), "momentum value");
        Centered = centered;
        int slot = SquareAvg + 1;
        if (momentum > 0)
            _momentumBuffer = slot++;
        if (centered)
            _gradAvg = slot;
        _g = new float[LargestParameter];
        _avg = new float[LargestParameter];
    }

    /// <summary>α, the decay of the mean square.</summary>
    public double Alpha { get; }

    /// <summary>ε, added to the denominator.</summary>
    public double Eps { get; }

    /// <summary>λ, the L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>μ; 0 for none.</summary>
    public double Momentum { get; }

    /// <summary>True when the denominator is √(v − ḡ²) + ε.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> grad)
    {
        int n = grad.Length;
        ReadOnlySpan<float> g = grad;
        if (WeightDecay != 0)
        {
            // g = g + λ·θ
            TensorPrimitives.MultiplyAdd(parameter, (float)WeightDecay, grad, _g.AsSpan(0, n));
            g = _g.AsSpan(0, n);
        }
        Span<float> v = State(SquareAvg, index);
        Span<float> avg = _avg.AsSpan(0, n);

        // v = α·v + (1 − α)·g²
        TensorPrimitives.Multiply(v, (float)Alpha, v);
        TensorPrimitives.Multiply(g, g, avg);
        TensorPrimitives.MultiplyAdd(avg, (float)(1 - Alpha), v, v);
        if (Centered)
        {
            // ḡ = α·ḡ + (1 − α)·g, avg = √(v − ḡ²)
            Span<float> gBar = State(_gradAvg, index);
            TensorPrimitives.Multiply(gBar, (float)Alpha, gBar);
            TensorPrimitives.MultiplyAdd(g, (float)(1 - Alpha), gBar, gBar);
            TensorPrimitives.Multiply(gBar, gBar, avg);
            TensorPrimitives.Subtract(v, avg, avg);
            TensorPrimitives.Sqrt(avg, avg);
        }
        else
        {
            // avg = √v
            TensorPrimitives.Sqrt(v, avg);
        }
        // avg = avg + ε
        TensorPrimitives.Add(avg, (float)Eps, avg);

        if (Momentum > 0)
        {
            // b = μ·b + g / avg, θ = θ − γ·b
            Span<float> b = State(_momentumBuffer, index);
            TensorPrimitives.Divide(g, avg, avg);
            TensorPrimitives.MultiplyAdd(b, (float)Momentum, avg, b);
            TensorPrimitives.MultiplyAdd(b, (float)-Lr, parameter, parameter);
        }
        else
        {
            // θ = θ − γ·g / avg
            TensorPrimitives.Divide(g, avg, avg);
            TensorPrimitives.MultiplyAdd(avg, (float)-Lr, parameter, parameter);
        }
    }

    private static string[] StateNames(double momentum, bool centered)
    {
        var names = new List<string> { "square_avg" };
        if (momentum > 0)
            names.Add("momentum_buffer");
        if (centered)
            names.Add("grad_avg");
        return [.. names];
    }
}
