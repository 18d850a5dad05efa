using CartPole;
using PolicyGradient.Rollout;
using TinyTorch;
using TinyTorch.Distributions;
using TinyTorch.Nn;
using Training.Config;

namespace PolicyGradient.Training;

/// <summary>
/// REINFORCE with a learned value baseline (Williams 1992; Sutton and Barto 2018, §13.4): the first step from
/// Q-learning to policy gradients, and what PPO refines. Each iteration of <see cref="PolicyGradientTrainer"/>'s loop
/// collects a rollout with the stochastic policy; <see cref="Learn"/> then takes one gradient step:
/// <code>
/// Gₜ = rₜ + γ·(1 − doneₜ)·Gₜ₊₁                   the Monte-Carlo return (episode by episode, backwards)
/// L  = −mean(log π(aₜ|sₜ)·(Gₜ − V(sₜ)))           ∇θ L = −E[∇θ log π(a|s)·(G − b(s))], the baseline b = V
///      − c₂·mean(H(π(·|sₜ))) + c₁·½·mean((V(sₜ) − Gₜ)²)
/// </code>
/// The baseline leaves the gradient unbiased (E[∇ log π·b(s)] = 0) and shrinks its variance. Where the rollout cuts an
/// episode (its last step, or a time limit with ppo.bootstrap_truncation) there is no return to observe: G bootstraps
/// from the critic's V there, so the return is Monte-Carlo everywhere else. That is GAE with λ = 1 (<see cref="Gae"/>),
/// whose Rₜ = Âₜ + V(sₜ) is exactly this Gₜ.
/// </summary>
public sealed class ReinforceTrainer : PolicyGradientTrainer
{
    private readonly Tensor _observations;
    private readonly int[] _actions;
    private readonly Tensor _returns, _advantages;

    /// <param name="config">A valid config with algorithm reinforce.</param>
    /// <param name="makeEnvironment">Called once: the evaluation environment.</param>
    public ReinforceTrainer(TrainConfig config, Func<IEnvironment> makeEnvironment)
        : this(config, makeEnvironment, state: null)
    {
    }

    internal ReinforceTrainer(TrainConfig config, Func<IEnvironment> makeEnvironment, PolicyGradientState? state)
        : base(config, makeEnvironment, state, Algorithm.Reinforce)
    {
        int size = Buffer.Size;
        _observations = Torch.Zeros(size, Buffer.ObservationSize);
        _actions = new int[size];
        _returns = Torch.Zeros(size);
        _advantages = Torch.Zeros(size);
    }

    /// <inheritdoc/>
    protected override (float Loss, int Updates) Learn(RolloutBuffer rollout)
    {
        var (p, agent, optimizer) = (Config.Ppo, State.Agent, State.Optimizer);
        // Gₜ by GAE with λ = 1 (Rₜ = Âₜ + V(sₜ)); the advantage Gₜ − V(sₜ) uses the critic as it acted, a constant here.
        rollout.ComputeAdvantages((float)Config.Gamma, lambda: 1f, p.BootstrapTruncation);
        rollout.Observations.CopyTo(_observations.Data, 0);
        rollout.Actions.CopyTo(_actions, 0);
        rollout.Returns.CopyTo(_returns.Data, 0);
        rollout.Advantages.CopyTo(_advantages.Data, 0);

        var policy = new Categorical(agent.Actor.Forward(_observations));
        Tensor value = agent.GetValue(_observations);
        // L_pg = −mean(log π(aₜ|sₜ)·(Gₜ − V(sₜ)))
        Tensor pgLoss = (policy.LogProb(_actions) * _advantages).Mean().Neg();
        // L_v = ½·mean((V(sₜ) − Gₜ)²)
        Tensor vLoss = (value - _returns).Square().Mean() * 0.5f;
        // L = L_pg − c₂·mean(H) + c₁·L_v
        Tensor loss = pgLoss - policy.Entropy().Mean() * (float)p.EntCoef + vLoss * (float)p.VfCoef;

        optimizer.ZeroGrad();
        loss.Backward();
        // g ← g·min(1, max_norm/(‖g‖ + 1e-6)) over actor and critic together
        if (Config.MaxGradNorm is { } maxNorm)
            Utils.ClipGradNorm(agent.Parameters(), maxNorm);
        optimizer.Step();
        return (loss.Item(), 1);
    }
}
