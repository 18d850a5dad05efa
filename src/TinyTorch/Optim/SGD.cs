using System.Numerics.Tensors;

namespace TinyTorch.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, L2 weight decay and Nesterov momentum, following
/// PyTorch's <c>torch.optim.SGD</c> update exactly. With γ = lr, μ = momentum, τ = dampening, λ = weight decay:
/// <code>
/// d ← g + λ·θ
/// b ← d at the first step, else μ·b + (1 − τ)·d      (only with μ ≠ 0)
/// d ← d + μ·b with Nesterov, else b                   (only with μ ≠ 0)
/// θ ← θ − γ·d
/// </code>
/// </summary>
public sealed class SGD : Optimizer
{
    private const int MomentumBuffer = 0;
    private readonly float[] _d;

    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">γ (no default, as in PyTorch).</param>
    /// <param name="momentum">μ; 0 for none.</param>
    /// <param name="dampening">τ.</param>
    /// <param name="weightDecay">λ, L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum (needs μ &gt; 0 and τ = 0).</param>
    /// <exception cref="ArgumentException">When <paramref name="parameters"/> is empty, holds a non-leaf or a tensor twice, or Nesterov is asked without momentum or with dampening.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When lr, momentum, dampening or weightDecay is negative.</exception>
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr, momentum != 0 ? ["momentum_buffer"] : [])
    {
        Momentum = RequireNonNegative(momentum, nameof(momentum), "momentum value");
        WeightDecay = RequireNonNegative(weightDecay, nameof(weightDecay), "weight_decay value");
        if (!double.IsFinite(dampening))
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, $"Invalid dampening: {dampening}; expected a finite value.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"Nesterov momentum requires a momentum > 0 and zero dampening, got momentum {momentum} and dampening {dampening}.", nameof(nesterov));
        Dampening = dampening;
        Nesterov = nesterov;
        _d = new float[LargestParameter];
    }

    /// <summary>μ; 0 for none.</summary>
    public double Momentum { get; }

    /// <summary>τ.</summary>
    public double Dampening { get; }

    /// <summary>λ, the L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>True for Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> grad)
    {
        ReadOnlySpan<float> d = grad;
        Span<float> scratch = _d.AsSpan(0, grad.Length);
        if (WeightDecay != 0)
        {
            // d = g + λ·θ
            TensorPrimitives.MultiplyAdd(parameter, (float)WeightDecay, grad, scratch);
            d = scratch;
        }
        if (Momentum != 0)
        {
            Span<float> b = State(MomentumBuffer, index, out bool first);
            if (first)
            {
                // b₁ = d
                d.CopyTo(b);
            }
            else
            {
                // b = μ·b + (1 − τ)·d
                TensorPrimitives.Multiply(b, (float)Momentum, b);
                TensorPrimitives.MultiplyAdd(d, (float)(1 - Dampening), b, b);
            }
            if (Nesterov)
            {
                // d = d + μ·b
                TensorPrimitives.MultiplyAdd(b, (float)Momentum, d, scratch);
                d = scratch;
            }
            else
            {
                d = b;
            }
        }
        // θ = θ − γ·d
        TensorPrimitives.MultiplyAdd(d, (float)-Lr, parameter, parameter);
    }
}
