using static Training.Config.ConfigValues;

namespace Training.Config;

/// <summary>
/// Every <see cref="TrainConfig"/> field, declared once: JSON key, flag, kind of value, one-line doc, valid range and
/// rules, and which runs read it. config.json (<see cref="TrainConfigJson"/>), validation
/// (<see cref="TrainConfig.Problems()"/>), the <c>train</c>/<c>sweep</c> flags and their <c>--help</c>, and the
/// field table in docs/PRESETS.md are all made from this list, in this order. Defaults are the <c>fast</c> preset's
/// (<see cref="TrainConfig"/>'s initialisers); other presets are data in <see cref="Presets"/>.
/// </summary>
public static class TrainConfigFields
{
    /// <summary>Every field, in the order config.json, <c>--help</c> and docs/PRESETS.md list them.</summary>
    public static IReadOnlyList<ConfigField> All { get; } =
    [
        new ConfigField<Algorithm>("algorithm", "--algo", Choice(("dqn", Algorithm.Dqn), ("qtable", Algorithm.QTable), ("ppo", Algorithm.Ppo), ("reinforce", Algorithm.Reinforce)),
            c => c.Algorithm, (c, v) => c with { Algorithm = v },
            "The learner: DQN, tabular Q-learning (reads the tabular.* fields, ignores the network ones), PPO or REINFORCE with a baseline (read the ppo.* fields). --algo qtable, ppo or reinforce alone means that preset."),
        new ConfigField<ulong>("seed", "--seed", ULong, c => c.Seed, (c, v) => c with { Seed = v },
            "Seeds the network initialisation, exploration, replay sampling and training episodes (train --seed; sweep --first-seed).")
        {
            FlagOwnedByCommand = true,
        },
        new ConfigField<long>("total_timesteps", "--total-steps", Long, c => c.TotalTimesteps, (c, v) => c with { TotalTimesteps = v },
            "Environment steps of the whole run.")
        {
            Range = ValueRange.AtLeast(1),
        },
        new ConfigField<int>("max_episode_steps", "--max-episode-steps", Int, c => c.MaxEpisodeSteps, (c, v) => c with { MaxEpisodeSteps = v },
            "Time limit: an episode is truncated after this many steps (500 in CartPole-v1).")
        {
            Range = ValueRange.AtLeast(1),
        },

        // ---- Network and optimisation ----
        new ConfigField<IReadOnlyList<int>>("hidden_sizes", "--hidden", IntList, c => c.HiddenSizes, (c, v) => c with { HiddenSizes = v },
            "Widths of the hidden layers of the MLP obs → hidden… → actions: ReLU between layers (DQN), Tanh in both the actor and the critic (PPO, REINFORCE).")
        {
            Scope = FieldScope.Network,
            Range = ValueRange.AtLeast(1),
            Rules = [new("at least one layer", (c, n) => c.HiddenSizes.Count == 0 ? $"{n["hidden_sizes"]} must list at least one hidden layer width, e.g. [128, 128]." : null)],
        },
        new ConfigField<OptimizerKind>("optimizer", "--optimizer", Choice(("adam", OptimizerKind.Adam), ("sgd", OptimizerKind.Sgd)),
            c => c.Optimizer, (c, v) => c with { Optimizer = v },
            "torch.optim.Adam (β = (0.9, 0.999), ε = 1e-8) or plain SGD.")
        {
            Scope = FieldScope.Dqn,
        },
        new ConfigField<double>("learning_rate", "--lr", Number, c => c.LearningRate, (c, v) => c with { LearningRate = v },
            "The optimizer's step size (PPO: at the first iteration, then annealed when ppo.anneal_lr).")
        {
            Scope = FieldScope.Network,
            Range = ValueRange.LearningRate,
        },
        new ConfigField<LossKind>("loss", "--loss", Choice(("huber", LossKind.Huber), ("mse", LossKind.Mse)),
            c => c.Loss, (c, v) => c with { Loss = v },
            "ℓ(δ) of the TD error δ: huber (smooth L1 with β = 1, SB3's) or mse (CleanRL's).")
        {
            Scope = FieldScope.Dqn,
        },
        new ConfigField<double?>("max_grad_norm", "--max-grad-norm", Optional(Number, "none"), c => c.MaxGradNorm, (c, v) => c with { MaxGradNorm = v },
            "Clip the global gradient norm to this (clip_grad_norm_); none: no clipping.")
        {
            Scope = FieldScope.Network,
            Range = ValueRange.Positive,
        },

        // ---- Q-learning ----
        new ConfigField<double>("gamma", "--gamma", Number, c => c.Gamma, (c, v) => c with { Gamma = v },
            "Discount factor γ of the return.")
        {
            Range = ValueRange.Discount,
        },
        new ConfigField<bool>("double_dqn", "--double", Bool, c => c.DoubleDqn, (c, v) => c with { DoubleDqn = v },
            "Double DQN (van Hasselt et al. 2016): the online network picks a* = argmax Q(s′, ·), the target network rates it.")
        {
            Scope = FieldScope.Dqn,
        },
        new ConfigField<bool>("dueling", "--dueling", Bool, c => c.Dueling, (c, v) => c with { Dueling = v },
            "Dueling head (Wang et al. 2016): the network outputs V and advantages A, Q = V + A − mean(A).")
        {
            Scope = FieldScope.Dqn,
        },
        new ConfigField<int>("n_step", "--n-step", Int, c => c.NStep, (c, v) => c with { NStep = v },
            "n of the n-step return Σₖ₌₀ⁿ⁻¹ γᵏ rₜ₊ₖ + γⁿ max Q(sₜ₊ₙ, ·); 1 is ordinary Q-learning.")
        {
            Scope = FieldScope.Dqn,
            Range = ValueRange.AtLeast(1),
        },

        // ---- Replay ----
        new ConfigField<int>("buffer_size", "--buffer-size", Int, c => c.BufferSize, (c, v) => c with { BufferSize = v },
            "Replay memory capacity in transitions.")
        {
            Scope = FieldScope.Dqn,
            Range = ValueRange.AtLeast(1),
        },
        new ConfigField<int>("batch_size", "--batch-size", Int, c => c.BatchSize, (c, v) => c with { BatchSize = v },
            "Transitions per gradient step.")
        {
            Scope = FieldScope.Dqn,
            Range = ValueRange.AtLeast(1),
            Rules = [new("≤ buffer_size", (c, n) => c.BatchSize > c.BufferSize && c.BufferSize >= 1
                ? $"{n["batch_size"]} ({c.BatchSize}) must be ≤ {n["buffer_size"]} ({c.BufferSize})." : null)],
        },
        new ConfigField<long>("learning_starts", "--learning-starts", Long, c => c.LearningStarts, (c, v) => c with { LearningStarts = v },
            "No gradient step before this many environment steps: the buffer first fills with ε-greedy play.")
        {
            Scope = FieldScope.Dqn,
            Range = ValueRange.AtLeast(0),
            Rules =
            [
                new("< total_timesteps", (c, n) => c.LearningStarts >= c.TotalTimesteps && c.TotalTimesteps >= 1
                    ? $"{n["learning_starts"]} ({c.LearningStarts}) must be < {n["total_timesteps"]} ({c.TotalTimesteps}), or no gradient step ever happens." : null),
                // An n-step transition is stored once its n rewards are known, so after step t at most n − 1 are
                // pending and at least t − (n − 1) are stored: sampling at step learning_starts + 1 needs one.
                new("≥ n_step − 1", (c, n) => c.LearningStarts >= 0 && c.NStep >= 1 && c.LearningStarts < c.NStep - 1
                    ? $"{n["learning_starts"]} ({c.LearningStarts}) must be ≥ {n["n_step"]} − 1 = {c.NStep - 1}: a {c.NStep}-step transition reaches the replay buffer {c.NStep} steps after it starts, and learning samples the buffer from step learning_starts + 1." : null),
            ],
        },
        new ConfigField<int>("train_frequency", "--train-frequency", Int, c => c.TrainFrequency, (c, v) => c with { TrainFrequency = v },
            "Train every this many environment steps.")
        {
            Scope = FieldScope.Dqn,
            Range = ValueRange.AtLeast(1),
        },
        new ConfigField<int>("gradient_steps", "--gradient-steps", Int, c => c.GradientSteps, (c, v) => c with { GradientSteps = v },
            "Gradient steps each time training happens.")
        {
            Scope = FieldScope.Dqn,
            Range = ValueRange.AtLeast(1),
        },
        new ConfigField<bool>("prioritized", "--per", Bool, c => c.Prioritized, (c, v) => c with { Prioritized = v },
            "Prioritized experience replay (Schaul et al. 2016, proportional, sum tree) instead of uniform sampling.")
        {
            Scope = FieldScope.Dqn,
        },
        new ConfigField<double>("prioritized_alpha", "--per-alpha", Number, c => c.PrioritizedAlpha, (c, v) => c with { PrioritizedAlpha = v },
            "Priority exponent α: P(i) = pᵢ^α / Σₖ pₖ^α.")
        {
            Scope = FieldScope.PrioritizedDqn,
            Range = ValueRange.NonNegative,
        },
        new ConfigField<double>("prioritized_beta0", "--per-beta0", Number, c => c.PrioritizedBeta0, (c, v) => c with { PrioritizedBeta0 = v },
            "Initial importance-sampling exponent β₀, annealed linearly to 1 over total_timesteps.")
        {
            Scope = FieldScope.PrioritizedDqn,
            Range = ValueRange.UnitInterval,
        },
        new ConfigField<double>("prioritized_eps", "--per-eps", Number, c => c.PrioritizedEps, (c, v) => c with { PrioritizedEps = v },
            "ε in the priority pᵢ = |δᵢ| + ε, so every transition keeps a chance to be sampled.")
        {
            Scope = FieldScope.PrioritizedDqn,
            Range = ValueRange.Positive,
        },

        // ---- Target network ----
        new ConfigField<int>("target_network_frequency", "--target-update", Int, c => c.TargetNetworkFrequency, (c, v) => c with { TargetNetworkFrequency = v },
            "Update the target network every this many environment steps.")
        {
            Scope = FieldScope.Dqn,
            Range = ValueRange.AtLeast(1),
        },
        new ConfigField<double>("tau", "--tau", Number, c => c.Tau, (c, v) => c with { Tau = v },
            "Target update θ′ ← τ·θ + (1 − τ)·θ′; 1 is a hard copy.")
        {
            Scope = FieldScope.Dqn,
            Range = ValueRange.StepSize,
        },

        // ---- Exploration ----
        new ConfigField<double>("start_e", "--start-e", Number, c => c.StartE, (c, v) => c with { StartE = v },
            "ε of ε-greedy exploration at step 0.")
        {
            Scope = FieldScope.ValueBased,
            Range = ValueRange.UnitInterval,
        },
        new ConfigField<double>("end_e", "--end-e", Number, c => c.EndE, (c, v) => c with { EndE = v },
            "ε after the decay, kept to the end.")
        {
            Scope = FieldScope.ValueBased,
            Range = ValueRange.UnitInterval,
        },
        new ConfigField<double>("exploration_fraction", "--exploration-fraction", Number, c => c.ExplorationFraction, (c, v) => c with { ExplorationFraction = v },
            "Fraction of total_timesteps over which ε goes linearly from start_e to end_e.")
        {
            Scope = FieldScope.ValueBased,
            Range = ValueRange.UnitInterval,
        },

        // ---- Evaluation ----
        new ConfigField<long>("eval_frequency", "--eval-frequency", Long, c => c.EvalFrequency, (c, v) => c with { EvalFrequency = v },
            "Greedy evaluation every this many environment steps.")
        {
            Range = ValueRange.AtLeast(1),
        },
        new ConfigField<int>("eval_episodes", "--eval-episodes", Int, c => c.EvalEpisodes, (c, v) => c with { EvalEpisodes = v },
            "Episodes of each periodic evaluation.")
        {
            Range = ValueRange.AtLeast(1),
        },
        new ConfigField<double>("solve_threshold", "--solve-threshold", Number, c => c.SolveThreshold, (c, v) => c with { SolveThreshold = v },
            "Solved when an evaluation's mean return reaches this (CartPole-v1's reward threshold).")
        {
            Range = ValueRange.Finite,
        },
        new ConfigField<bool>("stop_when_solved", "--stop", Bool, c => c.StopWhenSolved, (c, v) => c with { StopWhenSolved = v },
            "End training at the first evaluation that solves (and passes the final evaluation); --no-stop trains to total_timesteps."),
        new ConfigField<int>("final_eval_episodes", "--final-eval-episodes", Int, c => c.FinalEvalEpisodes, (c, v) => c with { FinalEvalEpisodes = v },
            "Episodes of the final evaluation, which also confirms a solve.")
        {
            Range = ValueRange.AtLeast(1),
        },
        new ConfigField<ulong>("eval_seed", "--eval-seed", ULong, c => c.EvalSeed, (c, v) => c with { EvalSeed = v },
            "Evaluation episode i (periodic and final) resets with seed eval_seed + i: the same episodes every time."),
        new ConfigField<ulong>("heldout_seed", "--heldout-seed", ULong, c => c.HeldoutSeed, (c, v) => c with { HeldoutSeed = v },
            "Held-out episode i resets with seed heldout_seed + i, a seed no evaluation that chose when to stop or which weights to keep has used.")
        {
            Rules =
            [
                new("disjoint from the evaluation seeds and seed", (c, n) => HeldoutOverlap(c, n)),
            ],
        },
        new ConfigField<int>("heldout_episodes", "--heldout-episodes", Int, c => c.HeldoutEpisodes, (c, v) => c with { HeldoutEpisodes = v },
            "Episodes of the held-out evaluation: the final model played greedily, reported as heldout_mean_return.")
        {
            Range = ValueRange.AtLeast(1),
        },

        // ---- Checkpoints ----
        new ConfigField<long?>("checkpoint_frequency", "--checkpoint-every", Optional(Long, "eval"), c => c.CheckpointFrequency, (c, v) => c with { CheckpointFrequency = v },
            "Environment steps between resumable checkpoints (checkpoint.safetensors); null (flag value eval): one at every evaluation.")
        {
            Range = ValueRange.AtLeast(1),
        },

        // ---- Policy gradients (PPO, REINFORCE), CleanRL ppo.py's names ----
        new ConfigField<int>("ppo.num_envs", "--num-envs", Int, c => c.Ppo.NumEnvs, (c, v) => c with { Ppo = c.Ppo with { NumEnvs = v } },
            "CartPole environments stepped together (the SIMD vector env); a rollout is num_envs × num_steps env steps.")
        {
            Scope = FieldScope.PolicyGradient,
            Range = ValueRange.AtLeast(1),
        },
        new ConfigField<int>("ppo.num_steps", "--num-steps", Int, c => c.Ppo.NumSteps, (c, v) => c with { Ppo = c.Ppo with { NumSteps = v } },
            "Steps per environment in each rollout.")
        {
            Scope = FieldScope.PolicyGradient,
            Range = ValueRange.AtLeast(1),
            Rules = [new("one rollout ≤ total_timesteps", (c, n) => RolloutFits(c, n))],
        },
        new ConfigField<bool>("ppo.anneal_lr", "--anneal-lr", Bool, c => c.Ppo.AnnealLr, (c, v) => c with { Ppo = c.Ppo with { AnnealLr = v } },
            "Anneal the learning rate linearly from learning_rate to 0 over the iterations: lrᵢ = (1 − (i − 1)/I)·lr₀.")
        {
            Scope = FieldScope.PolicyGradient,
        },
        new ConfigField<double>("ppo.gae_lambda", "--gae-lambda", Number, c => c.Ppo.GaeLambda, (c, v) => c with { Ppo = c.Ppo with { GaeLambda = v } },
            "λ of GAE: Âₜ = δₜ + γλ·(1 − doneₜ)·Âₜ₊₁ (0: one-step TD, 1: Monte-Carlo).")
        {
            Scope = FieldScope.Ppo,
            Range = ValueRange.UnitInterval,
        },
        new ConfigField<int>("ppo.num_minibatches", "--num-minibatches", Int, c => c.Ppo.NumMinibatches, (c, v) => c with { Ppo = c.Ppo with { NumMinibatches = v } },
            "Minibatches each epoch cuts the rollout into (a fresh shuffle each epoch).")
        {
            Scope = FieldScope.Ppo,
            Range = ValueRange.AtLeast(1),
            Rules = [new("divides num_envs × num_steps", (c, n) => MinibatchesDivide(c, n))],
        },
        new ConfigField<int>("ppo.update_epochs", "--update-epochs", Int, c => c.Ppo.UpdateEpochs, (c, v) => c with { Ppo = c.Ppo with { UpdateEpochs = v } },
            "Passes over each rollout.")
        {
            Scope = FieldScope.Ppo,
            Range = ValueRange.AtLeast(1),
        },
        new ConfigField<bool>("ppo.norm_adv", "--norm-adv", Bool, c => c.Ppo.NormAdv, (c, v) => c with { Ppo = c.Ppo with { NormAdv = v } },
            "Normalise each minibatch's advantages: (Â − mean)/(unbiased std + 1e-8).")
        {
            Scope = FieldScope.Ppo,
        },
        new ConfigField<double>("ppo.clip_coef", "--clip-coef", Number, c => c.Ppo.ClipCoef, (c, v) => c with { Ppo = c.Ppo with { ClipCoef = v } },
            "ε of the clipped objective max(−Â·r, −Â·clip(r, 1 − ε, 1 + ε)) and of the value clip.")
        {
            Scope = FieldScope.Ppo,
            Range = ValueRange.NonNegative,
        },
        new ConfigField<bool>("ppo.clip_vloss", "--clip-vloss", Bool, c => c.Ppo.ClipVloss, (c, v) => c with { Ppo = c.Ppo with { ClipVloss = v } },
            "Clip the value loss as the policy's: ½·max((V − R)², (V_old + clip(V − V_old, −ε, ε) − R)²).")
        {
            Scope = FieldScope.Ppo,
        },
        new ConfigField<double>("ppo.ent_coef", "--ent-coef", Number, c => c.Ppo.EntCoef, (c, v) => c with { Ppo = c.Ppo with { EntCoef = v } },
            "c₂, the weight of the entropy bonus in loss = policy loss − c₂·entropy + c₁·value loss.")
        {
            Scope = FieldScope.PolicyGradient,
            Range = ValueRange.NonNegative,
        },
        new ConfigField<double>("ppo.vf_coef", "--vf-coef", Number, c => c.Ppo.VfCoef, (c, v) => c with { Ppo = c.Ppo with { VfCoef = v } },
            "c₁, the weight of the critic's value loss.")
        {
            Scope = FieldScope.PolicyGradient,
            Range = ValueRange.NonNegative,
        },
        new ConfigField<double?>("ppo.target_kl", "--target-kl", Optional(Number, "none"), c => c.Ppo.TargetKl, (c, v) => c with { Ppo = c.Ppo with { TargetKl = v } },
            "Stop an iteration's epochs once the last minibatch's approx_kl exceeds this; none: never (CleanRL's default).")
        {
            Scope = FieldScope.Ppo,
            Range = ValueRange.Positive,
        },
        new ConfigField<double>("ppo.adam_eps", "--adam-eps", Number, c => c.Ppo.AdamEps, (c, v) => c with { Ppo = c.Ppo with { AdamEps = v } },
            "Adam's ε (CleanRL: 1e-5; PyTorch's default is 1e-8).")
        {
            Scope = FieldScope.PolicyGradient,
            Range = ValueRange.Positive,
        },
        new ConfigField<bool>("ppo.bootstrap_truncation", "--bootstrap-truncation", Bool, c => c.Ppo.BootstrapTruncation, (c, v) => c with { Ppo = c.Ppo with { BootstrapTruncation = v } },
            "At a time limit, bootstrap from V(true final observation); --no-bootstrap-truncation treats it as termination, as CleanRL does.")
        {
            Scope = FieldScope.PolicyGradient,
        },

        // ---- Tabular Q-learning ----
        new ConfigField<IReadOnlyList<int>>("tabular.bins", "--bins", IntList, c => c.Tabular.Bins, (c, v) => c with { Tabular = c.Tabular with { Bins = v } },
            "Bins per observation component (x, ẋ, θ, θ̇); 1 bin ignores the component.")
        {
            Scope = FieldScope.QTable,
            Range = ValueRange.AtLeast(1),
            Rules = [new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"≤ {TrainConfig.MaxTabularStates} states in all"), (c, n) => TabularStates(c, n))],
        },
        new ConfigField<IReadOnlyList<double>>("tabular.low", "--bins-low", NumberList, c => c.Tabular.Low, (c, v) => c with { Tabular = c.Tabular with { Low = v } },
            "Lower clipping bound per component: values below fall in the first bin.")
        {
            Scope = FieldScope.QTable,
            Range = ValueRange.Finite,
            Rules = [new("one per bin", (c, n) => SameLength(c.Tabular.Low.Count, "tabular.low", c, n))],
        },
        new ConfigField<IReadOnlyList<double>>("tabular.high", "--bins-high", NumberList, c => c.Tabular.High, (c, v) => c with { Tabular = c.Tabular with { High = v } },
            "Upper clipping bound per component: values above fall in the last bin.")
        {
            Scope = FieldScope.QTable,
            Range = ValueRange.Finite,
            Rules =
            [
                new("one per bin", (c, n) => SameLength(c.Tabular.High.Count, "tabular.high", c, n)),
                new("> tabular.low", (c, n) => HighAboveLow(c, n)),
            ],
        },
        new ConfigField<double>("tabular.alpha", "--alpha", Number, c => c.Tabular.Alpha, (c, v) => c with { Tabular = c.Tabular with { Alpha = v } },
            "Step size α of Q(s, a) ← Q(s, a) + α·(target − Q(s, a)).")
        {
            Scope = FieldScope.QTable,
            Range = ValueRange.StepSize,
        },
    ];

    private static readonly Dictionary<string, ConfigField> ByKey = All.ToDictionary(f => f.Key);

    /// <summary>The field with JSON key <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">No field has that key.</exception>
    public static ConfigField Get(string key) =>
        ByKey.TryGetValue(key, out var field) ? field : throw new KeyNotFoundException($"No config field has the key '{key}'.");

    /// <summary>The field with JSON key <paramref name="key"/>, or null.</summary>
    public static ConfigField? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>The reset seeds [first, first + count) of the periodic and final evaluations.</summary>
    public static (UInt128 First, UInt128 End) EvaluationSeeds(TrainConfig c) =>
        (c.EvalSeed, (UInt128)c.EvalSeed + (ulong)Math.Max(0, Math.Max(c.EvalEpisodes, c.FinalEvalEpisodes)));

    /// <summary>The reset seeds [first, first + count) of the held-out evaluation.</summary>
    public static (UInt128 First, UInt128 End) HeldoutSeeds(TrainConfig c) =>
        (c.HeldoutSeed, (UInt128)c.HeldoutSeed + (ulong)Math.Max(0, c.HeldoutEpisodes));

    private static string? HeldoutOverlap(TrainConfig c, ConfigNames n)
    {
        var (h0, h1) = HeldoutSeeds(c);
        var (e0, e1) = EvaluationSeeds(c);
        if (h0 < e1 && e0 < h1)
        {
            return $"{n["heldout_seed"]} must keep the held-out reset seeds [{h0}, {h1}) apart from the evaluation's [{e0}, {e1}) "
                + $"({n["eval_seed"]} + i for i < max({n["eval_episodes"]}, {n["final_eval_episodes"]})), got {c.HeldoutSeed}.";
        }
        if (h0 <= c.Seed && c.Seed < h1)
            return $"{n["heldout_seed"]} must keep the held-out reset seeds [{h0}, {h1}) apart from the training {n["seed"]} {c.Seed}, got {c.HeldoutSeed}.";
        return null;
    }

    private static string? RolloutFits(TrainConfig c, ConfigNames n)
    {
        long rollout = (long)c.Ppo.NumEnvs * c.Ppo.NumSteps;
        return c.Ppo.NumEnvs >= 1 && c.Ppo.NumSteps >= 1 && rollout > c.TotalTimesteps
            ? $"{n["ppo.num_envs"]} × {n["ppo.num_steps"]} ({rollout}) must be ≤ {n["total_timesteps"]} ({c.TotalTimesteps}), or no iteration ever runs."
            : null;
    }

    private static string? MinibatchesDivide(TrainConfig c, ConfigNames n)
    {
        long rollout = (long)c.Ppo.NumEnvs * c.Ppo.NumSteps;
        return c.Ppo.NumMinibatches >= 1 && rollout >= 1 && rollout % c.Ppo.NumMinibatches != 0
            ? $"{n["ppo.num_minibatches"]} ({c.Ppo.NumMinibatches}) must divide {n["ppo.num_envs"]} × {n["ppo.num_steps"]} = {rollout} rows evenly."
            : null;
    }

    private static string? TabularStates(TrainConfig c, ConfigNames n)
    {
        long states = 1;
        foreach (int bins in c.Tabular.Bins)
            states = bins >= 1 ? Math.Min(states * bins, long.MaxValue / 1024) : states;
        return states > TrainConfig.MaxTabularStates
            ? $"{n["tabular.bins"]} make {states} states; at most {TrainConfig.MaxTabularStates} are allowed."
            : null;
    }

    private static string? SameLength(int count, string key, TrainConfig c, ConfigNames n) =>
        count != c.Tabular.Bins.Count
            ? $"{n[key]} must have one entry per {n["tabular.bins"]} entry ({c.Tabular.Bins.Count}), got {count}."
            : null;

    private static string? HighAboveLow(TrainConfig c, ConfigNames n)
    {
        var (low, high) = (c.Tabular.Low, c.Tabular.High);
        for (int i = 0; i < Math.Min(low.Count, high.Count); i++)
        {
            if (!(high[i] > low[i]))
                return $"{n["tabular.high"]}[{i}] must be > {n["tabular.low"]}[{i}], got {ValueRange.Show(high[i])} ≤ {ValueRange.Show(low[i])}.";
        }
        return null;
    }
}
