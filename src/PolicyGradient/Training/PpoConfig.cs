using PolicyGradient.Update;

namespace PolicyGradient.Training;

/// <summary>
/// PPO's hyperparameters with CleanRL ppo.py's names and CartPole defaults: 4 envs × 128 steps per rollout, lr 2.5e-4
/// annealed linearly to 0, γ 0.99, GAE λ 0.95, 4 minibatches × 4 epochs, clip 0.2, entropy 0.01, value 0.5, max grad
/// norm 0.5, normalised advantages, clipped value loss, a 64-64 Tanh actor and critic, Adam ε 1e-5. One deliberate
/// difference, <see cref="BootstrapTruncation"/>: at a time limit, bootstrap from the critic's value of the true final
/// observation (CleanRL treats truncation as termination).
/// </summary>
public sealed record PpoConfig
{
    /// <summary>The seed every random stream of the run is forked from.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Environment steps over all envs; the run has TotalTimesteps / BatchSize iterations.</summary>
    public int TotalTimesteps { get; init; } = 500_000;

    /// <summary>lr₀, Adam's learning rate (at the first iteration when annealed).</summary>
    public double LearningRate { get; init; } = 2.5e-4;

    /// <summary>N, the CartPole environments stepped together.</summary>
    public int NumEnvs { get; init; } = 4;

    /// <summary>Steps per env in each rollout.</summary>
    public int NumSteps { get; init; } = 128;

    /// <summary>Anneal the learning rate linearly towards 0 over the iterations (<see cref="TinyTorch.Optim.LinearLrSchedule"/>).</summary>
    public bool AnnealLr { get; init; } = true;

    /// <summary>γ, the discount.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>λ of GAE.</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Minibatches per epoch.</summary>
    public int NumMinibatches { get; init; } = 4;

    /// <summary>Passes over each rollout.</summary>
    public int UpdateEpochs { get; init; } = 4;

    /// <summary>Normalise each minibatch's advantages (unbiased std + 1e-8).</summary>
    public bool NormAdv { get; init; } = true;

    /// <summary>ε, the ratio and value clip.</summary>
    public double ClipCoef { get; init; } = 0.2;

    /// <summary>Clip the value loss as the policy's.</summary>
    public bool ClipVloss { get; init; } = true;

    /// <summary>c₂, the entropy bonus's weight.</summary>
    public double EntCoef { get; init; } = 0.01;

    /// <summary>c₁, the value loss's weight.</summary>
    public double VfCoef { get; init; } = 0.5;

    /// <summary>Clip the gradient norm over actor and critic together to this; null: no clipping.</summary>
    public double? MaxGradNorm { get; init; } = 0.5;

    /// <summary>Stop an iteration's epochs early once approx_kl exceeds this; null: never (CleanRL's default).</summary>
    public double? TargetKl { get; init; }

    /// <summary>The hidden widths of the actor and of the critic.</summary>
    public int[] HiddenSizes { get; init; } = [64, 64];

    /// <summary>Adam's ε.</summary>
    public double AdamEps { get; init; } = 1e-5;

    /// <summary>At a time limit, bootstrap from V(true final observation) (true), or treat it as termination (CleanRL).</summary>
    public bool BootstrapTruncation { get; init; } = true;

    /// <summary>NumEnvs · NumSteps, the rows of one rollout.</summary>
    public int BatchSize => NumEnvs * NumSteps;

    /// <summary>BatchSize / NumMinibatches.</summary>
    public int MinibatchSize => BatchSize / NumMinibatches;

    /// <summary>TotalTimesteps / BatchSize (rounded down).</summary>
    public int NumIterations => TotalTimesteps / BatchSize;

    /// <summary>The hyperparameters of each minibatch update.</summary>
    public PpoLossConfig LossConfig => new()
    {
        ClipCoef = ClipCoef,
        EntCoef = EntCoef,
        VfCoef = VfCoef,
        MaxGradNorm = MaxGradNorm,
        NormAdv = NormAdv,
        ClipVloss = ClipVloss,
    };

    /// <summary>Checks every value, naming the first one out of range.</summary>
    /// <exception cref="ArgumentException">When a size is below 1, the minibatches do not divide the batch, the run has
    /// no iteration, or a rate or coefficient is out of range.</exception>
    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(NumEnvs), NumEnvs), (nameof(NumSteps), NumSteps), (nameof(NumMinibatches), NumMinibatches), (nameof(UpdateEpochs), UpdateEpochs) })
            if (value < 1)
                throw new ArgumentException($"PpoConfig: {name} must be at least 1, got {value}.");
        if (BatchSize % NumMinibatches != 0)
            throw new ArgumentException($"PpoConfig: NumMinibatches ({NumMinibatches}) must divide the batch of NumEnvs·NumSteps = {BatchSize} rows.");
        if (NumIterations < 1)
            throw new ArgumentException($"PpoConfig: TotalTimesteps ({TotalTimesteps}) must be at least one batch of {BatchSize} steps.");
        if (!(LearningRate >= 0) || !double.IsFinite(LearningRate))
            throw new ArgumentException($"PpoConfig: LearningRate must be a finite number >= 0, got {LearningRate}.");
        if (Gamma is not (>= 0 and <= 1) || GaeLambda is not (>= 0 and <= 1))
            throw new ArgumentException($"PpoConfig: Gamma and GaeLambda must be in [0, 1], got {Gamma} and {GaeLambda}.");
        if (HiddenSizes is null || HiddenSizes.Any(h => h < 1))
            throw new ArgumentException("PpoConfig: HiddenSizes must be positive layer widths.");
        LossConfig.Validate();
    }
}
