using System.Globalization;
using CartPole;
using CartPole.Rendering;
using Training.Config;
using Training.Evaluation;
using Training.Policies;
using Training.Reporting;
using TinyTorch.IO;

namespace Training.Runs;

/// <summary>
/// One training run and its folder, the same for every algorithm: it builds the trainer, runs it, and writes
/// what it has (also after a cancellation), every file atomically:
/// <list type="bullet">
/// <item><c>model.safetensors</c>: the best policy by evaluation (what <c>eval</c> and <c>play</c> load);</item>
/// <item><c>last.safetensors</c>: the final weights;</item>
/// <item><c>checkpoint.safetensors</c> (DQN, PPO, REINFORCE): the whole training state, for <see cref="Resume"/>;</item>
/// <item><c>config.json</c>, <c>metrics.csv</c>, <c>curve.svg</c>, <c>report.html</c> (<see cref="RunFolder"/>), the report
/// with an animated episode of the best policy;</item>
/// <item><c>summary.json</c>: <see cref="RunResult.ToJson"/>.</item>
/// </list>
/// </summary>
public sealed class TrainingRun
{
    /// <summary>The best policy by evaluation.</summary>
    public const string ModelFileName = "model.safetensors";
    /// <summary>The final weights.</summary>
    public const string LastFileName = "last.safetensors";
    /// <summary>The whole training state, for a resume.</summary>
    public const string CheckpointFileName = "checkpoint.safetensors";
    /// <summary>The run's result (<see cref="RunResult.ToJson"/>).</summary>
    public const string SummaryFileName = "summary.json";

    private TrainingRun(ITrainer trainer, string folder, string preset, bool resumed)
    {
        Trainer = trainer;
        Folder = folder;
        Preset = preset;
        Resumed = resumed;
        Trainer.Labels["preset"] = Preset;
    }

    /// <summary>The learner.</summary>
    public ITrainer Trainer { get; }

    /// <summary>The trainer's config.</summary>
    public TrainConfig Config => Trainer.Config;

    /// <summary>The run folder every file goes to.</summary>
    public string Folder { get; }

    /// <summary>The preset the config started from (a label for the report and the files' metadata).</summary>
    public string Preset { get; }

    /// <summary>True when this run continues one from a checkpoint.</summary>
    public bool Resumed { get; }

    /// <summary>Folder/model.safetensors.</summary>
    public string ModelPath => Path.Combine(Folder, ModelFileName);

    /// <summary>Folder/last.safetensors.</summary>
    public string LastPath => Path.Combine(Folder, LastFileName);

    /// <summary>Folder/checkpoint.safetensors.</summary>
    public string CheckpointPath => Path.Combine(Folder, CheckpointFileName);

    /// <summary>Folder/report.html.</summary>
    public string ReportPath => Path.Combine(Folder, RunFolder.ReportFile);

    /// <summary>CartPole-v1 with the config's time limit: the environment of every run.</summary>
    public static CartPoleOptions EnvironmentOptions(TrainConfig config) => new() { MaxEpisodeSteps = config.MaxEpisodeSteps };

    /// <summary>A new run of <paramref name="config"/> in <paramref name="folder"/> (created; config.json is written at once).</summary>
    public static TrainingRun Create(ITrainerFactory trainers, TrainConfig config, string folder, string preset)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        config.Validate();
        ITrainer trainer = trainers.Create(config, () => new CartPoleEnv(EnvironmentOptions(config)));
        Directory.CreateDirectory(folder);
        TrainConfigJson.Save(Path.Combine(folder, RunFolder.ConfigFile), config);
        return new TrainingRun(trainer, folder, preset, resumed: false);
    }

    /// <summary>
    /// Continues the run in <paramref name="folder"/> from its checkpoint.safetensors. Throws
    /// <see cref="InvalidDataException"/> when there is none, it cannot be read, or the run has already finished.
    /// </summary>
    public static TrainingRun Resume(ITrainerFactory trainers, string folder)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string checkpoint = Path.Combine(folder, CheckpointFileName);
        if (!File.Exists(checkpoint))
            throw new InvalidDataException(Directory.Exists(folder)
                ? $"'{folder}' has no {CheckpointFileName} to resume from (a run writes one at each evaluation and when it stops)."
                : $"run folder '{folder}' does not exist.");
        var trainer = trainers.Resume(checkpoint, config => new CartPoleEnv(EnvironmentOptions(config)));
        if (trainer.Finished)
            throw new InvalidDataException($"the run in '{folder}' already finished at step {trainer.Step}; there is nothing to resume.");
        string preset = trainer.Labels.TryGetValue("preset", out string? p) ? p : "custom";
        return new TrainingRun(trainer, folder, preset, resumed: true);
    }

    /// <summary>
    /// Trains (see <see cref="ITrainer.Train"/>) and writes the run folder, also when cancelled. While training,
    /// model.safetensors is rewritten at each new best evaluation and checkpoint.safetensors every checkpoint_frequency
    /// steps (both captured between steps and written by a <see cref="BackgroundWriter"/> each while training goes on),
    /// so a run killed outright loses at most the steps since its last checkpoint on disk. Before the final files, the
    /// writes in flight are waited for. A finished run's model is then evaluated on held-out episodes (<see cref="HeldOutEvaluation"/>).
    /// </summary>
    public RunResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var files = new FileWriter(this);
        TrainingOutcome outcome;
        try
        {
            outcome = Trainer.Train(progress, files, cancellationToken);
        }
        catch
        {
            // The training error is the one to report; a file write that failed meanwhile would only hide it.
            files.WaitIgnoringFailure();
            throw;
        }
        files.Wait();
        var heldOut = outcome.Finished ? HeldOutEvaluation(Trainer.BestPolicy, Config) : null;
        return Write(outcome, heldOut);
    }

    /// <summary>
    /// The claim, checked on episodes nobody tuned on: <c>heldout_episodes</c> greedy episodes of the final model, reset
    /// with seeds heldout_seed + i, disjoint from the eval_seed episodes that decided when to stop and which weights to keep.
    /// </summary>
    public static EvaluationResult HeldOutEvaluation(IPolicy policy, TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Evaluator(new CartPoleEnv(EnvironmentOptions(config)), config.HeldoutSeed).Evaluate(policy, config.HeldoutEpisodes);
    }

    private Dictionary<string, string> ModelMetadata() => new()
    {
        ["preset"] = Preset,
        ["seed"] = Config.Seed.ToString(CultureInfo.InvariantCulture),
    };

    private RunResult Write(TrainingOutcome outcome, EvaluationResult? heldOut)
    {
        Directory.CreateDirectory(Folder);
        var metadata = ModelMetadata();
        Trainer.SaveModel(ModelPath, best: true, metadata);
        Trainer.SaveModel(LastPath, best: false, metadata);
        string? checkpoint = null;
        if (Trainer.CanResume)
        {
            Trainer.CaptureCheckpoint().Write(CheckpointPath);
            checkpoint = CheckpointPath;
        }
        var result = new RunResult
        {
            Config = Config,
            Preset = Preset,
            Outcome = outcome,
            Folder = Folder,
            ModelPath = ModelPath,
            LastPath = LastPath,
            ReportPath = ReportPath,
            CheckpointPath = checkpoint,
            Resumed = Resumed,
            HeldOut = heldOut,
        };
        var episode = CartPoleEpisode.Play(Trainer.BestPolicy, EnvironmentOptions(Config), Config.EvalSeed);
        RunFolder.Write(Folder, new RunReport
        {
            Title = $"{AlgorithmNames.Title(Config.Algorithm)} on CartPole-v1: preset {Preset}, seed {Config.Seed}",
            Config = Config,
            Metrics = Trainer.Metrics,
            Summary = outcome.Summary,
            AnimationSvg = Animation(episode),
            Policy = Trainer.BestPolicy is IActionValues values ? PolicyView.Compute(values, episode.States) : null,
            Facts = Facts(outcome, heldOut),
        });
        AtomicFile.WriteAllText(Path.Combine(Folder, SummaryFileName), result.ToJson().ToJsonString(RunResult.JsonOptions) + "\n");
        return result;
    }

    /// <summary>One episode of the best policy from the first evaluation seed, animated.</summary>
    private string Animation(CartPoleEpisode episode)
    {
        string ending = episode.Truncated ? "balanced to the time limit" : "fell";
        return SvgAnimation.Render(episode.States,
            string.Create(CultureInfo.InvariantCulture, $"Best policy, evaluation seed {Config.EvalSeed}: return {episode.Return:0} ({ending})"));
    }

    private List<KeyValuePair<string, string>> Facts(TrainingOutcome outcome, EvaluationResult? heldOut)
    {
        var inv = CultureInfo.InvariantCulture;
        var facts = new List<KeyValuePair<string, string>>
        {
            new("preset", Preset),
            new("model", ModelFileName + " (best evaluation" +
                (outcome.BestEvaluation is { } best ? string.Create(inv, $": {best.Mean:0.##} at step {best.Step:N0})") : ": none yet, current weights)")),
        };
        if (heldOut is not null)
            facts.Add(new("held-out evaluation", string.Create(inv, $"{heldOut.Mean:0.##} ± {heldOut.Std:0.##} over {heldOut.Episodes} episodes (reset seeds {Config.HeldoutSeed:N0} + i, never used to stop or to pick weights)")));
        if (outcome.SolvedAtSeconds is { } seconds)
            facts.Add(new("wall time to solve", string.Create(inv, $"{seconds:0.00} s")));
        if (outcome.Elapsed.TotalSeconds > 0)
            facts.Add(new("environment steps per second", string.Create(inv, $"{outcome.Steps / outcome.Elapsed.TotalSeconds:N0}")));
        if (outcome.Time is { } t)
        {
            facts.Add(new("time: acting / environment / storing",
                string.Create(inv, $"{t.Acting.TotalSeconds:0.000} / {t.Environment.TotalSeconds:0.000} / {t.Storing.TotalSeconds:0.000} s")));
            facts.Add(new("time: updates / target updates",
                string.Create(inv, $"{t.Updates.TotalSeconds:0.000} / {t.TargetUpdates.TotalSeconds:0.000} s")));
            facts.Add(new("time: evaluation / checkpoints / other",
                string.Create(inv, $"{t.Evaluation.TotalSeconds:0.000} / {t.Checkpoints.TotalSeconds:0.000} / {t.Other.TotalSeconds:0.000} s")));
        }
        if (Resumed)
            facts.Add(new("resumed", string.Create(inv, $"from step {outcome.ResumedFromStep:N0} (checkpoint.safetensors; times above are of the last part)")));
        if (!outcome.Finished && Trainer.CanResume)
            facts.Add(new("stopped", string.Create(inv, $"at step {outcome.Steps:N0}; resumable from {CheckpointFileName}")));
        return facts;
    }

    /// <summary>
    /// Writes model.safetensors at each new best and checkpoint.safetensors when one is due, atomically: each captured
    /// now and written in the background, one writer per file, so a new best and a checkpoint at the same evaluation
    /// do not wait for each other.
    /// </summary>
    private sealed class FileWriter(TrainingRun run) : ITrainingListener
    {
        private readonly BackgroundWriter _models = new(), _checkpoints = new();

        public void NewBest(ITrainer trainer) => _models.Write(run.ModelPath, trainer.CaptureModel(best: true, run.ModelMetadata()).Write);

        public void CheckpointDue(ITrainer trainer)
        {
            if (trainer.CanResume)
                _checkpoints.Write(run.CheckpointPath, trainer.CaptureCheckpoint().Write);
        }

        /// <summary>Waits until both files are on disk; rethrows a failed write.</summary>
        public void Wait()
        {
            try
            {
                _models.Wait();
            }
            finally
            {
                _checkpoints.Wait();
            }
        }

        public void WaitIgnoringFailure()
        {
            _models.WaitIgnoringFailure();
            _checkpoints.WaitIgnoringFailure();
        }
    }
}
