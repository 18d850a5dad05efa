using System.ComponentModel;
using Training.Config;
using ScratchRl.Cli;
using Spectre.Console.Cli;

namespace ScratchRl.Commands;

/// <summary>
/// The flags that build a <see cref="TrainConfig"/>, shared by <c>train</c> and <c>sweep</c>: a preset (or a config
/// file), then any field overridden by its flag. Values are taken as text and parsed here, so a bad one is reported as
/// one line naming the flag.
/// </summary>
public class TrainConfigSettings : CommandSettings
{
    [CommandOption("--preset <NAME>")]
    [Description("Starting configuration: fast (default), zoo, cleanrl, seed or qtable (see docs/PRESETS.md).")]
    public string? Preset { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("Start from a config.json (e.g. a run folder's) instead of a preset; flags still override it.")]
    public string? ConfigFile { get; init; }

    [CommandOption("--algo <ALGO>")]
    [Description("dqn or qtable (tabular Q-learning). Default: the preset's; --algo qtable alone means --preset qtable.")]
    public string? Algo { get; init; }

    [CommandOption("--total-steps <N>")]
    [Description("Environment steps of the whole run (total_timesteps).")]
    public string? TotalSteps { get; init; }

    [CommandOption("--max-episode-steps <N>")]
    [Description("Time limit of an episode (500 for CartPole-v1).")]
    public string? MaxEpisodeSteps { get; init; }

    [CommandOption("--hidden <SIZES>")]
    [Description("Hidden layer widths of the MLP, e.g. 128,128 or 64.")]
    public string? Hidden { get; init; }

    [CommandOption("--optimizer <NAME>")]
    [Description("adam or sgd.")]
    public string? Optimizer { get; init; }

    [CommandOption("--lr <LR>")]
    [Description("Learning rate (> 0).")]
    public string? Lr { get; init; }

    [CommandOption("--loss <LOSS>")]
    [Description("huber (smooth L1) or mse.")]
    public string? Loss { get; init; }

    [CommandOption("--max-grad-norm <X>")]
    [Description("Clip the global gradient norm to X; 'none' turns clipping off.")]
    public string? MaxGradNorm { get; init; }

    [CommandOption("--gamma <GAMMA>")]
    [Description("Discount factor γ in [0, 1].")]
    public string? Gamma { get; init; }

    [CommandOption("--double")]
    [Description("Double DQN: the online network picks a*, the target network rates it.")]
    public bool Double { get; init; }

    [CommandOption("--dueling")]
    [Description("Dueling head: the network outputs V and advantages A, Q = V + A − mean(A).")]
    public bool Dueling { get; init; }

    [CommandOption("--n-step <N>")]
    [Description("n of n-step returns (1: ordinary Q-learning).")]
    public string? NStep { get; init; }

    [CommandOption("--buffer-size <N>")]
    [Description("Replay memory capacity in transitions.")]
    public string? BufferSize { get; init; }

    [CommandOption("--batch-size <N>")]
    [Description("Transitions per gradient step.")]
    public string? BatchSize { get; init; }

    [CommandOption("--learning-starts <N>")]
    [Description("Environment steps before the first gradient step.")]
    public string? LearningStarts { get; init; }

    [CommandOption("--train-frequency <N>")]
    [Description("Train every N environment steps.")]
    public string? TrainFrequency { get; init; }

    [CommandOption("--gradient-steps <N>")]
    [Description("Gradient steps each time training happens.")]
    public string? GradientSteps { get; init; }

    [CommandOption("--per")]
    [Description("Prioritized experience replay (proportional, sum tree).")]
    public bool Per { get; init; }

    [CommandOption("--per-alpha <ALPHA>")]
    [Description("Priority exponent α (≥ 0).")]
    public string? PerAlpha { get; init; }

    [CommandOption("--per-beta0 <BETA>")]
    [Description("Initial importance-sampling exponent β₀ in [0, 1], annealed to 1.")]
    public string? PerBeta0 { get; init; }

    [CommandOption("--per-eps <EPS>")]
    [Description("ε in the priority |δ| + ε (> 0).")]
    public string? PerEps { get; init; }

    [CommandOption("--target-update <N>")]
    [Description("Update the target network every N environment steps (target_network_frequency).")]
    public string? TargetUpdate { get; init; }

    [CommandOption("--tau <TAU>")]
    [Description("Target update θ′ ← τθ + (1 − τ)θ′, τ in (0, 1]; 1 is a hard copy.")]
    public string? Tau { get; init; }

    [CommandOption("--start-e <EPS>")]
    [Description("ε at the first step.")]
    public string? StartE { get; init; }

    [CommandOption("--end-e <EPS>")]
    [Description("ε after the decay.")]
    public string? EndE { get; init; }

    [CommandOption("--exploration-fraction <F>")]
    [Description("Fraction of the run over which ε decays linearly.")]
    public string? ExplorationFraction { get; init; }

    [CommandOption("--eval-frequency <N>")]
    [Description("Greedy evaluation every N environment steps.")]
    public string? EvalFrequency { get; init; }

    [CommandOption("--eval-episodes <N>")]
    [Description("Episodes per periodic evaluation (20).")]
    public string? EvalEpisodes { get; init; }

    [CommandOption("--final-eval-episodes <N>")]
    [Description("Episodes of the final evaluation (100).")]
    public string? FinalEvalEpisodes { get; init; }

    [CommandOption("--eval-seed <N>")]
    [Description("Evaluation episode i resets with seed N + i.")]
    public string? EvalSeed { get; init; }

    [CommandOption("--solve-threshold <R>")]
    [Description("Solved when an evaluation's mean return reaches R (475).")]
    public string? SolveThreshold { get; init; }

    [CommandOption("--no-stop")]
    [Description("Train to the step budget even after solving.")]
    public bool NoStop { get; init; }

    [CommandOption("--stop")]
    [Description("Stop at the first evaluation that solves (the default of fast and qtable).")]
    public bool Stop { get; init; }

    [CommandOption("--bins <BINS>")]
    [Description("qtable: bins per observation component, e.g. 1,1,6,12.")]
    public string? Bins { get; init; }

    [CommandOption("--bins-low <VALUES>")]
    [Description("qtable: lower clipping bound per component.")]
    public string? BinsLow { get; init; }

    [CommandOption("--bins-high <VALUES>")]
    [Description("qtable: upper clipping bound per component.")]
    public string? BinsHigh { get; init; }

    [CommandOption("--alpha <ALPHA>")]
    [Description("qtable: step size α in (0, 1].")]
    public string? Alpha { get; init; }

    /// <summary>Which flag sets which config field (snake_case, as in config.json and in validation messages).</summary>
    internal static readonly (string Flag, string Field)[] FlagFields =
    [
        ("--total-steps", "total_timesteps"), ("--max-episode-steps", "max_episode_steps"), ("--hidden", "hidden_sizes"),
        ("--lr", "learning_rate"), ("--max-grad-norm", "max_grad_norm"), ("--gamma", "gamma"), ("--n-step", "n_step"),
        ("--buffer-size", "buffer_size"), ("--batch-size", "batch_size"), ("--learning-starts", "learning_starts"),
        ("--train-frequency", "train_frequency"), ("--gradient-steps", "gradient_steps"), ("--per-alpha", "prioritized_alpha"),
        ("--per-beta0", "prioritized_beta0"), ("--per-eps", "prioritized_eps"), ("--target-update", "target_network_frequency"),
        ("--tau", "tau"), ("--start-e", "start_e"), ("--end-e", "end_e"), ("--exploration-fraction", "exploration_fraction"),
        ("--eval-frequency", "eval_frequency"), ("--eval-episodes", "eval_episodes"), ("--final-eval-episodes", "final_eval_episodes"),
        ("--solve-threshold", "solve_threshold"), ("--bins", "tabular.bins"), ("--bins-low", "tabular.low"),
        ("--bins-high", "tabular.high"), ("--alpha", "tabular.alpha"),
    ];

    /// <summary>The flags of this class that were given (to refuse them where they make no sense, e.g. with --resume).</summary>
    internal List<string> GivenFlags()
    {
        var given = new List<string>();
        foreach (var property in typeof(TrainConfigSettings).GetProperties())
        {
            var value = property.GetValue(this);
            if (value is null || value is false)
                continue;
            var option = (CommandOptionAttribute?)Attribute.GetCustomAttribute(property, typeof(CommandOptionAttribute));
            if (option is not null)
                given.Add("--" + option.LongNames[0]);
        }
        return given;
    }

    /// <summary>The preset's name (or "custom" for a config file) and the config after every override, validated.</summary>
    internal (string PresetName, TrainConfig Config) BuildConfig()
    {
        if (Preset is not null && ConfigFile is not null)
            throw new UsageException("give either --preset or --config, not both.");
        if (NoStop && Stop)
            throw new UsageException("give either --stop or --no-stop, not both.");
        Algorithm? algorithm = Algo is null ? null : TrainArguments.Choice("--algo", Algo, ("dqn", Algorithm.Dqn), ("qtable", Algorithm.QTable));

        string presetName;
        TrainConfig c;
        if (ConfigFile is not null)
        {
            presetName = "custom";
            try
            {
                c = TrainConfigJson.Load(ConfigFile);
            }
            catch (ConfigException e)
            {
                throw new UsageException(e.Message);
            }
        }
        else
        {
            presetName = Preset ?? (algorithm == Algorithm.QTable ? "qtable" : Presets.Default);
            if (!Presets.Names.Contains(presetName.ToLowerInvariant()))
                throw new UsageException($"unknown preset '{presetName}'; expected one of: {string.Join(", ", Presets.Names)}.");
            presetName = presetName.ToLowerInvariant();
            c = Presets.Get(presetName);
        }

        if (algorithm is { } a)
            c = c with { Algorithm = a };
        if (TotalSteps is { } totalSteps)
            c = c with { TotalTimesteps = TrainArguments.Long("--total-steps", totalSteps) };
        if (MaxEpisodeSteps is { } maxEpisodeSteps)
            c = c with { MaxEpisodeSteps = TrainArguments.Int("--max-episode-steps", maxEpisodeSteps) };
        if (Hidden is { } hidden)
            c = c with { HiddenSizes = TrainArguments.IntList("--hidden", hidden) };
        if (Optimizer is { } optimizer)
            c = c with { Optimizer = TrainArguments.Choice("--optimizer", optimizer, ("adam", OptimizerKind.Adam), ("sgd", OptimizerKind.Sgd)) };
        if (Lr is { } lr)
            c = c with { LearningRate = TrainArguments.Double("--lr", lr) };
        if (Loss is { } loss)
            c = c with { Loss = TrainArguments.Choice("--loss", loss, ("huber", LossKind.Huber), ("mse", LossKind.Mse)) };
        if (MaxGradNorm is { } maxGradNorm)
            c = c with { MaxGradNorm = maxGradNorm.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : TrainArguments.Double("--max-grad-norm", maxGradNorm) };
        if (Gamma is { } gamma)
            c = c with { Gamma = TrainArguments.Double("--gamma", gamma) };
        if (Double)
            c = c with { DoubleDqn = true };
        if (Dueling)
            c = c with { Dueling = true };
        if (NStep is { } nStep)
            c = c with { NStep = TrainArguments.Int("--n-step", nStep) };
        if (BufferSize is { } bufferSize)
            c = c with { BufferSize = TrainArguments.Int("--buffer-size", bufferSize) };
        if (BatchSize is { } batchSize)
            c = c with { BatchSize = TrainArguments.Int("--batch-size", batchSize) };
        if (LearningStarts is { } learningStarts)
            c = c with { LearningStarts = TrainArguments.Long("--learning-starts", learningStarts) };
        if (TrainFrequency is { } trainFrequency)
            c = c with { TrainFrequency = TrainArguments.Int("--train-frequency", trainFrequency) };
        if (GradientSteps is { } gradientSteps)
            c = c with { GradientSteps = TrainArguments.Int("--gradient-steps", gradientSteps) };
        if (Per)
            c = c with { Prioritized = true };
        if (PerAlpha is { } perAlpha)
            c = c with { PrioritizedAlpha = TrainArguments.Double("--per-alpha", perAlpha) };
        if (PerBeta0 is { } perBeta0)
            c = c with { PrioritizedBeta0 = TrainArguments.Double("--per-beta0", perBeta0) };
        if (PerEps is { } perEps)
            c = c with { PrioritizedEps = TrainArguments.Double("--per-eps", perEps) };
        if (TargetUpdate is { } targetUpdate)
            c = c with { TargetNetworkFrequency = TrainArguments.Int("--target-update", targetUpdate) };
        if (Tau is { } tau)
            c = c with { Tau = TrainArguments.Double("--tau", tau) };
        if (StartE is { } startE)
            c = c with { StartE = TrainArguments.Double("--start-e", startE) };
        if (EndE is { } endE)
            c = c with { EndE = TrainArguments.Double("--end-e", endE) };
        if (ExplorationFraction is { } explorationFraction)
            c = c with { ExplorationFraction = TrainArguments.Double("--exploration-fraction", explorationFraction) };
        if (EvalFrequency is { } evalFrequency)
            c = c with { EvalFrequency = TrainArguments.Long("--eval-frequency", evalFrequency) };
        if (EvalEpisodes is { } evalEpisodes)
            c = c with { EvalEpisodes = TrainArguments.Int("--eval-episodes", evalEpisodes) };
        if (FinalEvalEpisodes is { } finalEvalEpisodes)
            c = c with { FinalEvalEpisodes = TrainArguments.Int("--final-eval-episodes", finalEvalEpisodes) };
        if (EvalSeed is { } evalSeed)
            c = c with { EvalSeed = TrainArguments.ULong("--eval-seed", evalSeed) };
        if (SolveThreshold is { } solveThreshold)
            c = c with { SolveThreshold = TrainArguments.Double("--solve-threshold", solveThreshold) };
        if (NoStop)
            c = c with { StopWhenSolved = false };
        if (Stop)
            c = c with { StopWhenSolved = true };
        if (Bins is { } bins)
            c = c with { Tabular = c.Tabular with { Bins = TrainArguments.IntList("--bins", bins) } };
        if (BinsLow is { } binsLow)
            c = c with { Tabular = c.Tabular with { Low = TrainArguments.DoubleList("--bins-low", binsLow) } };
        if (BinsHigh is { } binsHigh)
            c = c with { Tabular = c.Tabular with { High = TrainArguments.DoubleList("--bins-high", binsHigh) } };
        if (Alpha is { } alpha)
            c = c with { Tabular = c.Tabular with { Alpha = TrainArguments.Double("--alpha", alpha) } };
        return (presetName, c);
    }

    /// <summary>Validates <paramref name="config"/>; each problem is reported with the flag that sets the field.</summary>
    internal static TrainConfig Validated(TrainConfig config)
    {
        var problems = config.Problems();
        if (problems.Count == 0)
            return config;
        var lines = new List<string>();
        foreach (string problem in problems)
        {
            string line = problem;
            foreach (var (flag, field) in FlagFields)
            {
                // Messages start with the field: "gamma must be …", "hidden_sizes[0] must be …", "batch_size (…) must be …".
                if (problem.StartsWith(field + " ", StringComparison.Ordinal) || problem.StartsWith(field + "[", StringComparison.Ordinal))
                {
                    line = $"{flag}: {problem}";
                    break;
                }
            }
            lines.Add(line);
        }
        throw new UsageException(lines.Count == 1 ? lines[0] : $"{lines.Count} problems: {string.Join("; ", lines)}");
    }
}
