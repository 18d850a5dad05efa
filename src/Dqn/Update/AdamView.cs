namespace Dqn.Update;

/// <summary>
/// Adam's state for one weight after step t, read from the optimizer: m = β₁·m + (1 − β₁)·g and
/// v = β₂·v + (1 − β₂)·g², their bias-corrected m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ), and the step lr·m̂/(√v̂ + ε).
/// </summary>
public sealed record AdamView(long T, double Beta1, double Beta2, double Eps, float M, float V, double BiasCorrection1, double BiasCorrection2)
{
    /// <summary>m̂ = m/(1 − β₁ᵗ).</summary>
    public double MHat => M / BiasCorrection1;

    /// <summary>v̂ = v/(1 − β₂ᵗ).</summary>
    public double VHat => V / BiasCorrection2;

    /// <summary>lr·m̂/(√v̂ + ε), what the step subtracts from the weight.</summary>
    public double Step(double lr) => lr * MHat / (Math.Sqrt(VHat) + Eps);
}
