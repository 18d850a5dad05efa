using CartPole;
using PolicyGradient.Rollout;
using PolicyGradient.Update;
using Training.Config;

namespace PolicyGradient.Training;

/// <summary>
/// Proximal policy optimisation (Schulman et al. 2017) with CleanRL ppo.py's semantics on the SIMD vector env. Each
/// iteration of <see cref="PolicyGradientTrainer"/>'s loop anneals the learning rate and collects a rollout; then
/// <see cref="Learn"/> computes GAE and runs update_epochs passes of num_minibatches clipped updates. One deliberate
/// difference from CleanRL, ppo.bootstrap_truncation: at a time limit the return bootstraps from the critic's value of
/// the true final observation.
/// </summary>
public sealed class PpoTrainer : PolicyGradientTrainer
{
    private readonly PpoEpochs _epochs;
    private readonly PpoLossConfig _loss;

    /// <param name="config">A valid config with algorithm ppo.</param>
    /// <param name="makeEnvironment">Called once: the evaluation environment (training uses a vector env of ppo.num_envs).</param>
    public PpoTrainer(TrainConfig config, Func<IEnvironment> makeEnvironment)
        : this(config, makeEnvironment, state: null)
    {
    }

    internal PpoTrainer(TrainConfig config, Func<IEnvironment> makeEnvironment, PolicyGradientState? state)
        : base(config, makeEnvironment, state, Algorithm.Ppo)
    {
        var p = config.Ppo;
        _epochs = new PpoEpochs(p.BatchSize, p.NumMinibatches, Buffer.ObservationSize);
        _loss = new PpoLossConfig
        {
            ClipCoef = p.ClipCoef,
            EntCoef = p.EntCoef,
            VfCoef = p.VfCoef,
            MaxGradNorm = config.MaxGradNorm,
            NormAdv = p.NormAdv,
            ClipVloss = p.ClipVloss,
        };
    }

    /// <summary>The statistics of the latest minibatch update (CleanRL's logged losses, approx_kl, clipfrac).</summary>
    public PpoStats LastStats { get; private set; }

    /// <inheritdoc/>
    protected override (float Loss, int Updates) Learn(RolloutBuffer rollout)
    {
        var p = Config.Ppo;
        // Âₜ = δₜ + γλ·(1 − doneₜ)·Âₜ₊₁ with δₜ = rₜ + γ·V(sₜ₊₁)·(1 − terminatedₜ) − V(sₜ);  Rₜ = Âₜ + V(sₜ)
        rollout.ComputeAdvantages((float)Config.Gamma, (float)p.GaeLambda, p.BootstrapTruncation);
        // update_epochs × num_minibatches steps on L = L_clip − c₂·H + c₁·L_v over a fresh shuffle each epoch (PpoUpdate)
        var (stats, epochsRun) = _epochs.Run(State.Agent, State.Optimizer, rollout, _loss, p.UpdateEpochs, State.Shuffle, p.TargetKl);
        LastStats = stats;
        return (stats.Loss, epochsRun * p.NumMinibatches);
    }
}
