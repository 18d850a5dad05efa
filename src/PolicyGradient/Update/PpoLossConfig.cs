namespace PolicyGradient.Update;

/// <summary>
/// The hyperparameters of one PPO update, named as in CleanRL's ppo.py, with its CartPole defaults.
/// </summary>
public sealed record PpoLossConfig
{
    /// <summary>ε of the clipped surrogate: the ratio π/π_old is clipped to [1 − ε, 1 + ε]; also the value clip.</summary>
    public double ClipCoef { get; init; } = 0.2;

    /// <summary>c₂, the weight of the entropy bonus (subtracted from the loss).</summary>
    public double EntCoef { get; init; } = 0.01;

    /// <summary>c₁, the weight of the value loss.</summary>
    public double VfCoef { get; init; } = 0.5;

    /// <summary>Clip the global gradient norm over actor and critic together to this; null: no clipping.</summary>
    public double? MaxGradNorm { get; init; } = 0.5;

    /// <summary>Normalise the minibatch's advantages: Â ← (Â − mean)/(std + 1e-8), std unbiased.</summary>
    public bool NormAdv { get; init; } = true;

    /// <summary>Clip the value loss as the policy's: max of the unclipped and the clipped squared error.</summary>
    public bool ClipVloss { get; init; } = true;

    /// <summary>Checks every value, naming the first one out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a coefficient is negative or not finite.</exception>
    public void Validate()
    {
        Require(ClipCoef, nameof(ClipCoef));
        Require(EntCoef, nameof(EntCoef));
        Require(VfCoef, nameof(VfCoef));
        if (MaxGradNorm is { } m)
            Require(m, nameof(MaxGradNorm));
    }

    private static void Require(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0, got {value}.");
    }
}
