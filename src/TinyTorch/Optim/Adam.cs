using System.Numerics.Tensors;

namespace TinyTorch.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with PyTorch 1.13's single-tensor update, optional L2 weight decay and AMSGrad.
/// With γ = lr, β₁, β₂ = betas, ε = eps, λ = weight decay and t the step count:
/// <code>
/// g ← g + λ·θ                                   (L2 decay; AdamW decays θ directly instead)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// v̂ ← max(v̂, v) with AMSGrad, else v
/// bc₁ = 1 − β₁ᵗ,  bc₂ = 1 − β₂ᵗ                 (in double)
/// θ ← θ − (γ / bc₁) · m / (√v̂ / √bc₂ + ε)
/// </code>
/// ε is added after the square root, as in PyTorch.
/// </summary>
public class Adam : Optimizer
{
    private const int ExpAvg = 0, ExpAvgSq = 1, MaxExpAvgSq = 2;
    private readonly float[] _g;

    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">γ.</param>
    /// <param name="beta1">β₁, the decay of the first-moment estimate (PyTorch's betas[0]).</param>
    /// <param name="beta2">β₂, the decay of the second-moment estimate (PyTorch's betas[1]).</param>
    /// <param name="eps">ε, added to the denominator after the square root.</param>
    /// <param name="weightDecay">λ, L2 penalty added to the gradient.</param>
    /// <param name="amsgrad">Use the running maximum of v (Reddi et al., 2018).</param>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : this(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, decoupledWeightDecay: false)
    {
    }

    /// <summary>For <see cref="AdamW"/>: the same moments, with the weight decay applied to θ instead of the gradient.</summary>
    protected Adam(IEnumerable<Tensor> parameters, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad, bool decoupledWeightDecay)
        : base(parameters, lr, amsgrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"])
    {
        Beta1 = RequireBeta(beta1, nameof(beta1), "beta parameter at index 0");
        Beta2 = RequireBeta(beta2, nameof(beta2), "beta parameter at index 1");
        Eps = RequireNonNegative(eps, nameof(eps), "epsilon value");
        WeightDecay = RequireNonNegative(weightDecay, nameof(weightDecay), "weight_decay value");
        Amsgrad = amsgrad;
        DecoupledWeightDecay = decoupledWeightDecay;
        _g = new float[LargestParameter];
    }

    /// <summary>β₁, the decay of the first-moment estimate m.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the second-moment estimate v.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to √v̂ in the denominator.</summary>
    public double Eps { get; }

    /// <summary>λ: added to the gradient as λ·θ (Adam) or applied to θ as θ·(1 − γλ) (AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>True when the denominator uses the running maximum of v̂ (AMSGrad).</summary>
    public bool Amsgrad { get; }

    /// <summary>True for AdamW: θ ← θ·(1 − γλ) before the Adam step, instead of adding λ·θ to the gradient.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> grad)
    {
        int n = grad.Length;
        ReadOnlySpan<float> g = grad;
        if (WeightDecay != 0)
        {
            if (DecoupledWeightDecay)
            {
                // θ = θ·(1 − γλ)
                TensorPrimitives.Multiply(parameter, (float)(1 - Lr * WeightDecay), parameter);
            }
            else
            {
                // g = g + λ·θ
                TensorPrimitives.MultiplyAdd(parameter, (float)WeightDecay, grad, _g.AsSpan(0, n));
                g = _g.AsSpan(0, n);
            }
        }
        // bc₁ = 1 − β₁ᵗ, bc₂ = 1 − β₂ᵗ, step size γ / bc₁
        double t = StepCount;
        double biasCorrection1 = 1 - Math.Pow(Beta1, t);
        double biasCorrection2 = 1 - Math.Pow(Beta2, t);
        double stepSize = Lr / biasCorrection1;

        // m = β₁·m + (1 − β₁)·g;  v = β₂·v + (1 − β₂)·g²;  v̂ = max(v̂, v) with AMSGrad, else v;
        // θ = θ − step_size · m / (√v̂ / √bc₂ + ε): one fused pass over the elements
        AdamKernel.Step(parameter, g, State(ExpAvg, index), State(ExpAvgSq, index), Amsgrad ? State(MaxExpAvgSq, index) : default,
            (float)Beta1, (float)(1 - Beta1), (float)Beta2, (float)(1 - Beta2), (float)Math.Sqrt(biasCorrection2), (float)Eps, (float)stepSize);
    }
}
