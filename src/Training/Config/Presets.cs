namespace Training.Config;

/// <summary>
/// Named starting configurations, each with its source (the table is in docs/PRESETS.md). <c>fast</c> is the default.
/// </summary>
public static class Presets
{
    /// <summary>The preset a run starts from when none is named.</summary>
    public const string Default = "fast";

    /// <summary>Every preset's name, in the order the docs list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fast", "zoo", "cleanrl", "seed", "qtable", "ppo", "ppo-fast", "reinforce"];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive).</summary>
    public static TrainConfig Get(string name) => name?.ToLowerInvariant() switch
    {
        "fast" => Fast,
        "zoo" => Zoo,
        "cleanrl" => CleanRl,
        "seed" => Seed,
        "qtable" => QTable,
        "ppo" => Ppo,
        "ppo-fast" => PpoFast,
        "reinforce" => Reinforce,
        _ => throw new ArgumentException($"Unknown preset '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// ScratchRl's own default, tuned to solve CartPole-v1 in little wall-clock time (sweeps on training seeds 1–10 in
    /// docs/TRAINING.md): a 4-128-128-2 MLP, Adam 5e-3, Huber loss clipped at norm 10, Double DQN with 3-step returns,
    /// batch 64 from a 10k buffer after 1,000 warm-up steps, an update every 4 steps, a Polyak-averaged target network
    /// (τ = 0.04 every 4 steps), ε 1 → 0.05 over the first 5k steps, evaluation every 1k steps, stop when solved.
    /// These are exactly the <see cref="TrainConfig"/> defaults.
    /// </summary>
    public static TrainConfig Fast => new();

    /// <summary>
    /// rl-baselines3-zoo's DQN CartPole-v1 entry (hyperparams/dqn.yml): 5e4 steps, lr 2.3e-3, batch 64, buffer 100k,
    /// learning_starts 1000, γ 0.99, target update every 10 steps, train every 256 steps with 128 gradient steps,
    /// exploration_fraction 0.16, final ε 0.04, net_arch [256, 256]. The rest are Stable-Baselines3 DQN defaults:
    /// τ = 1, initial ε = 1, max_grad_norm = 10, Huber (smooth L1) loss, Adam.
    /// </summary>
    public static TrainConfig Zoo => new()
    {
        TotalTimesteps = 50_000,
        HiddenSizes = [256, 256],
        Optimizer = OptimizerKind.Adam,
        LearningRate = 2.3e-3,
        Loss = LossKind.Huber,
        MaxGradNorm = 10,
        Gamma = 0.99,
        BufferSize = 100_000,
        BatchSize = 64,
        LearningStarts = 1_000,
        TrainFrequency = 256,
        GradientSteps = 128,
        TargetNetworkFrequency = 10,
        Tau = 1.0,
        StartE = 1.0,
        EndE = 0.04,
        ExplorationFraction = 0.16,
        DoubleDqn = false,
        NStep = 1,
        EvalFrequency = 5_000,
        StopWhenSolved = false,
    };

    /// <summary>
    /// CleanRL's dqn.py defaults: 500k steps, lr 2.5e-4, buffer 10k, γ 0.99, τ 1, target update every 500 steps,
    /// batch 128, ε 1 → 0.05 over half the run, learning_starts 10k, train every 10 steps, a 120-84 MLP, MSE loss,
    /// Adam, no gradient clipping.
    /// </summary>
    public static TrainConfig CleanRl => new()
    {
        TotalTimesteps = 500_000,
        HiddenSizes = [120, 84],
        Optimizer = OptimizerKind.Adam,
        LearningRate = 2.5e-4,
        Loss = LossKind.Mse,
        MaxGradNorm = null,
        Gamma = 0.99,
        BufferSize = 10_000,
        BatchSize = 128,
        LearningStarts = 10_000,
        TrainFrequency = 10,
        GradientSteps = 1,
        TargetNetworkFrequency = 500,
        Tau = 1.0,
        StartE = 1.0,
        EndE = 0.05,
        ExplorationFraction = 0.5,
        DoubleDqn = false,
        NStep = 1,
        EvalFrequency = 10_000,
        StopWhenSolved = false,
    };

    /// <summary>
    /// The method of the article ScratchRl started from, kept as a baseline that is known to fail: online Q-learning on
    /// every step from the latest transition only (buffer_size 1 and batch_size 1, so the "sample" is that transition),
    /// no separate target network (a hard copy after every update makes the target equal the online network at each
    /// update), greedy actions only (ε = 0), Adam lr 0.01, MSE, a 4-64-2 MLP, no gradient clipping.
    /// </summary>
    public static TrainConfig Seed => new()
    {
        TotalTimesteps = 50_000,
        HiddenSizes = [64],
        Optimizer = OptimizerKind.Adam,
        LearningRate = 0.01,
        Loss = LossKind.Mse,
        MaxGradNorm = null,
        Gamma = 0.99,
        BufferSize = 1,
        BatchSize = 1,
        LearningStarts = 0,
        TrainFrequency = 1,
        GradientSteps = 1,
        TargetNetworkFrequency = 1,
        Tau = 1.0,
        StartE = 0,
        EndE = 0,
        ExplorationFraction = 0,
        DoubleDqn = false,
        NStep = 1,
        EvalFrequency = 5_000,
    };

    /// <summary>
    /// Tabular Q-learning (Watkins 1989) on a discretised CartPole, ScratchRl's own choice: bins (1, 1, 6, 12) over
    /// x, ẋ, θ, θ̇ (see <see cref="TabularConfig"/>), α = 0.1, γ = 0.99, ε 1 → 0.01 over the first 50k of 200k steps,
    /// evaluation every 5k steps, stop when solved.
    /// </summary>
    public static TrainConfig QTable => new()
    {
        Algorithm = Algorithm.QTable,
        TotalTimesteps = 200_000,
        Gamma = 0.99,
        StartE = 1.0,
        EndE = 0.01,
        ExplorationFraction = 0.25,
        EvalFrequency = 5_000,
        StopWhenSolved = true,
        Tabular = new TabularConfig(),
    };

    /// <summary>
    /// CleanRL's ppo.py defaults for CartPole-v1 (its argparse defaults): 500k steps, 4 envs × 128 steps per rollout,
    /// Adam lr 2.5e-4 (ε 1e-5) annealed linearly to 0, γ 0.99, GAE λ 0.95, 4 minibatches × 4 epochs, clip 0.2,
    /// normalised advantages, clipped value loss, entropy 0.01, value 0.5, max grad norm 0.5, separate 64-64 Tanh actor
    /// and critic. ScratchRl's additions: bootstrap at time limits (see <see cref="PpoSettings.BootstrapTruncation"/>),
    /// a greedy evaluation after the iteration that passes each 2,048 steps, stop when solved, a resumable checkpoint
    /// each 20,480 steps (a fraction of a second of training; writing one at every evaluation took a third of the time).
    /// </summary>
    public static TrainConfig Ppo => new()
    {
        Algorithm = Algorithm.Ppo,
        TotalTimesteps = 500_000,
        HiddenSizes = [64, 64],
        LearningRate = 2.5e-4,
        MaxGradNorm = 0.5,
        Gamma = 0.99,
        EvalFrequency = 2_048,
        StopWhenSolved = true,
        CheckpointFrequency = 20_480,
        Ppo = new PpoSettings(),
    };

    /// <summary>
    /// ScratchRl's PPO tuned for wall time to solve, chosen by sweeps on training seeds 101–110 (never the seeds the
    /// results table reports, nor the held-out episodes; docs/PPO.md): <see cref="Ppo"/> with 8 envs × 32 steps per
    /// rollout, lr 2.5e-3 not annealed, 2 epochs of 4 minibatches, a greedy evaluation every 1,024 steps, 200k steps.
    /// </summary>
    public static TrainConfig PpoFast => Ppo with
    {
        TotalTimesteps = 200_000,
        LearningRate = 2.5e-3,
        EvalFrequency = 1_024,
        Ppo = new PpoSettings { NumEnvs = 8, NumSteps = 32, AnnealLr = false, UpdateEpochs = 2 },
    };

    /// <summary>
    /// REINFORCE with a learned value baseline (Williams 1992; Sutton and Barto §13.4), ScratchRl's own settings: one
    /// gradient step per rollout of 8 envs × 64 steps on the Monte-Carlo returns (bootstrapped by V where the rollout
    /// cuts an episode), the same 64-64 Tanh actor and critic as PPO, Adam lr 1e-3 (ε 1e-5) not annealed, value weight
    /// 0.5, entropy 0, max grad norm 0.5, evaluation every 4,096 steps, a checkpoint each 20,480 steps.
    /// </summary>
    public static TrainConfig Reinforce => new()
    {
        Algorithm = Algorithm.Reinforce,
        TotalTimesteps = 500_000,
        HiddenSizes = [64, 64],
        LearningRate = 1e-3,
        MaxGradNorm = 0.5,
        Gamma = 0.99,
        EvalFrequency = 4_096,
        StopWhenSolved = true,
        CheckpointFrequency = 20_480,
        Ppo = new PpoSettings { NumEnvs = 8, NumSteps = 64, AnnealLr = false, EntCoef = 0 },
    };
}
