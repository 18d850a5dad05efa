namespace Training.Config;

/// <summary>
/// Settings only the policy-gradient runs use, with CleanRL ppo.py's names and CartPole defaults: 4 envs × 128 steps
/// per rollout, the learning rate annealed linearly to 0, GAE λ 0.95, 4 minibatches × 4 epochs, clip 0.2, entropy
/// 0.01, value 0.5, normalised advantages, clipped value loss, Adam ε 1e-5. The learning rate, γ, the hidden sizes
/// (of the actor and of the critic) and max_grad_norm are <see cref="TrainConfig"/>'s own fields. REINFORCE reads the
/// rollout size, anneal_lr, the two loss weights, adam_eps and bootstrap_truncation. One deliberate difference from
/// CleanRL, <see cref="BootstrapTruncation"/>: at a time limit, bootstrap from the critic's value of the true final
/// observation (CleanRL treats truncation as termination).
/// </summary>
public sealed record PpoSettings
{
    /// <summary>N, the CartPole environments stepped together.</summary>
    public int NumEnvs { get; init; } = 4;

    /// <summary>T, the steps per environment in each rollout.</summary>
    public int NumSteps { get; init; } = 128;

    /// <summary>Anneal the learning rate linearly to 0 over the iterations.</summary>
    public bool AnnealLr { get; init; } = true;

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

    /// <summary>Stop an iteration's epochs once approx_kl exceeds this; null: never.</summary>
    public double? TargetKl { get; init; }

    /// <summary>Adam's ε.</summary>
    public double AdamEps { get; init; } = 1e-5;

    /// <summary>At a time limit, bootstrap from V(true final observation) (true), or treat it as termination (CleanRL).</summary>
    public bool BootstrapTruncation { get; init; } = true;

    /// <summary>N·T, the env steps of one rollout.</summary>
    public int BatchSize => NumEnvs * NumSteps;
}
