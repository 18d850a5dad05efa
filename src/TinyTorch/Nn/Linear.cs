namespace TinyTorch.Nn;

/// <summary>
/// A fully connected layer y = x·Wᵀ + b (PyTorch's <c>nn.Linear</c>): <see cref="Weight"/> is [out, in] and
/// <see cref="Bias"/> is [out], named <c>weight</c> and <c>bias</c> in the state dict.
/// </summary>
public sealed class Linear : Module
{
    /// <summary>
    /// PyTorch's default initialisation, drawn from <paramref name="rng"/>: weight first, then bias, row-major,
    /// both ~ U(−1/√in, 1/√in). (PyTorch reaches the weight's bound through kaiming_uniform_ with a = √5:
    /// gain·√(3/in) = √(2/(1+5))·√(3/in) = 1/√in.)
    /// </summary>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inFeatures < 1)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "Linear needs at least one input feature.");
        if (outFeatures < 1)
            throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "Linear needs at least one output feature.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;

        // bound = 1/√fan_in
        float bound = (float)(1.0 / Math.Sqrt(inFeatures));
        Weight = RegisterParameter("weight", Torch.Uniform(rng, -bound, bound, outFeatures, inFeatures));
        if (bias)
            Bias = RegisterParameter("bias", Torch.Uniform(rng, -bound, bound, outFeatures));
    }

    /// <summary>in: the size of each input row.</summary>
    public int InFeatures { get; }

    /// <summary>out: the size of each output row.</summary>
    public int OutFeatures { get; }

    /// <summary>[out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>[out], or null for a layer built with <c>bias: false</c>.</summary>
    public Tensor? Bias { get; }

    /// <summary>[B, in] → [B, out], or [in] → [out].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Linear(Weight, Bias);
    }

    /// <summary>As PyTorch prints it: <c>Linear(in_features=4, out_features=128, bias=True)</c>.</summary>
    public override string ToString() =>
        $"Linear(in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is null ? "False" : "True")})";
}
