namespace Training.Config;

/// <summary>
/// Every hyperparameter of a run, named as in CleanRL's dqn.py and the papers. Each property is declared once in
/// <see cref="TrainConfigFields"/> with its JSON key, flag, doc and valid range, from which config.json
/// (<see cref="TrainConfigJson"/>), the command line and validation are derived. The defaults are the <c>fast</c> preset (<see cref="Presets"/>); a config file
/// only needs the fields it changes. Counts of steps are environment steps (one <c>Step</c> call), as in CleanRL and
/// SB3. The target y = r + discount·(1 − terminated)·Q_target(s′, a*) and the loop order follow CleanRL:
/// act, store, then train when step &gt; learning_starts and step % train_frequency == 0, and update the target
/// network when step % target_network_frequency == 0.
/// </summary>
public sealed partial record TrainConfig
{
    /// <summary><c>dqn</c>, <c>qtable</c> (tabular Q-learning, which uses <see cref="Tabular"/> and ignores the network fields), <c>ppo</c> or <c>reinforce</c> (which use <see cref="Ppo"/>).</summary>
    public Algorithm Algorithm { get; init; } = Algorithm.Dqn;

    /// <summary>Seeds the network initialisation, exploration, replay sampling and the training environment's first reset.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Environment steps of the whole run.</summary>
    public long TotalTimesteps { get; init; } = 100_000;

    /// <summary>CartPole-v1's time limit: an episode is truncated after this many steps.</summary>
    public int MaxEpisodeSteps { get; init; } = 500;

    // ---- Network and optimisation (algorithm dqn) ----

    /// <summary>Widths of the hidden layers of the MLP obs → hidden… → actions (ReLU between layers).</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [128, 128];

    /// <summary>torch.optim.Adam (β = (0.9, 0.999), ε = 1e-8) or plain SGD.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Optimizer step size.</summary>
    public double LearningRate { get; init; } = 5e-3;

    /// <summary>ℓ(δ) of the TD error δ: Huber (smooth L1 with β = 1, SB3's) or MSE (CleanRL's).</summary>
    public LossKind Loss { get; init; } = LossKind.Huber;

    /// <summary>Clip the global gradient norm to this (<c>clip_grad_norm_</c>); null: no clipping.</summary>
    public double? MaxGradNorm { get; init; } = 10;

    // ---- Q-learning ----

    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Double DQN (van Hasselt et al. 2016): a* = argmax_a Q_online(s′, a), evaluated by the target network.</summary>
    public bool DoubleDqn { get; init; } = true;

    /// <summary>Dueling heads (Wang et al. 2016): Q = V + A − mean(A).</summary>
    public bool Dueling { get; init; }

    /// <summary>n of the n-step return (1 = ordinary one-step Q-learning).</summary>
    public int NStep { get; init; } = 3;

    // ---- Replay ----

    /// <summary>Replay capacity in transitions.</summary>
    public int BufferSize { get; init; } = 10_000;

    /// <summary>Transitions per gradient step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>No gradient step before this many environment steps (the buffer fills with ε-greedy play first).</summary>
    public long LearningStarts { get; init; } = 1_000;

    /// <summary>Train every this many environment steps.</summary>
    public int TrainFrequency { get; init; } = 4;

    /// <summary>Gradient steps each time training happens.</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Prioritized replay (Schaul et al. 2016) instead of uniform sampling.</summary>
    public bool Prioritized { get; init; }

    /// <summary>Priority exponent α: P(i) = pᵢ^α / Σ pₖ^α.</summary>
    public double PrioritizedAlpha { get; init; } = 0.6;

    /// <summary>Initial importance-sampling exponent β₀, annealed linearly to 1 over total_timesteps.</summary>
    public double PrioritizedBeta0 { get; init; } = 0.4;

    /// <summary>ε in the priority pᵢ = |δᵢ| + ε.</summary>
    public double PrioritizedEps { get; init; } = 1e-6;

    // ---- Target network ----

    /// <summary>Update the target network every this many environment steps.</summary>
    public int TargetNetworkFrequency { get; init; } = 4;

    /// <summary>Target update θ′ ← τ·θ + (1 − τ)·θ′; 1 is a hard copy.</summary>
    public double Tau { get; init; } = 0.04;

    // ---- Exploration (both algorithms) ----

    /// <summary>ε at step 0.</summary>
    public double StartE { get; init; } = 1.0;

    /// <summary>ε after the decay, kept until the end.</summary>
    public double EndE { get; init; } = 0.05;

    /// <summary>Fraction of total_timesteps over which ε goes linearly from start_e to end_e.</summary>
    public double ExplorationFraction { get; init; } = 0.05;

    // ---- Evaluation ----

    /// <summary>Greedy evaluation every this many environment steps.</summary>
    public long EvalFrequency { get; init; } = 1_000;

    /// <summary>Episodes per periodic evaluation.</summary>
    public int EvalEpisodes { get; init; } = 20;

    /// <summary>Solved when a periodic evaluation's mean return reaches this (CartPole-v1's reward threshold).</summary>
    public double SolveThreshold { get; init; } = 475;

    /// <summary>End training at the first evaluation that reaches <see cref="SolveThreshold"/>.</summary>
    public bool StopWhenSolved { get; init; } = true;

    /// <summary>Episodes of the final evaluation.</summary>
    public int FinalEvalEpisodes { get; init; } = 100;

    /// <summary>Evaluation episode i resets its environment with seed eval_seed + i: the same episodes every time, apart from training's seed.</summary>
    public ulong EvalSeed { get; init; } = 1_000_000;

    /// <summary>Held-out evaluation episode i resets with seed heldout_seed + i, disjoint from every seed that chose when to stop or which weights to keep.</summary>
    public ulong HeldoutSeed { get; init; } = 2_000_000;

    /// <summary>Episodes of the held-out evaluation of the final model.</summary>
    public int HeldoutEpisodes { get; init; } = 100;

    // ---- Checkpoints ----

    /// <summary>Environment steps between periodic resumable checkpoints; null: one at every evaluation.</summary>
    public long? CheckpointFrequency { get; init; }

    // ---- Tabular Q-learning (algorithm qtable) ----

    /// <summary>Discretisation and step size for <c>qtable</c>; γ, ε schedule, seed and evaluation come from the fields above.</summary>
    public TabularConfig Tabular { get; init; } = new();

    // ---- Policy gradients (algorithms ppo and reinforce) ----

    /// <summary>PPO's (and REINFORCE's) settings with CleanRL ppo.py's names; learning rate, γ, hidden sizes and max_grad_norm come from the fields above.</summary>
    public PpoSettings Ppo { get; init; } = new();
}
