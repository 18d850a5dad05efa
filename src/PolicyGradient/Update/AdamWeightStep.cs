namespace PolicyGradient.Update;

/// <summary>
/// One weight followed through Adam's step t: its value <see cref="Before"/>, the gradient g Adam used (after clipping),
/// the moments m = β₁·m + (1 − β₁)·g and v = β₂·v + (1 − β₂)·g² as the optimizer holds them afterwards, and the value
/// <see cref="After"/> read back from the network, which should be θ − lr·m̂/(√v̂ + ε).
/// </summary>
public sealed record AdamWeightStep(string Name, int[] Index, float Before, float Grad, double Lr, long T,
    double Beta1, double Beta2, double Eps, float M, float V, float After)
{
    /// <summary>1 − β₁ᵗ.</summary>
    public double BiasCorrection1 => 1 - Math.Pow(Beta1, T);

    /// <summary>1 − β₂ᵗ.</summary>
    public double BiasCorrection2 => 1 - Math.Pow(Beta2, T);

    /// <summary>m̂ = m/(1 − β₁ᵗ).</summary>
    public double MHat => M / BiasCorrection1;

    /// <summary>v̂ = v/(1 − β₂ᵗ).</summary>
    public double VHat => V / BiasCorrection2;

    /// <summary>lr·m̂/(√v̂ + ε), what the step subtracts from the weight.</summary>
    public double Step => Lr * MHat / (Math.Sqrt(VHat) + Eps);
}
