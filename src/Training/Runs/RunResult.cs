using System.Text.Json;
using System.Text.Json.Nodes;
using Training.Config;
using Training.Evaluation;

namespace Training.Runs;

/// <summary>A run that has stopped, and where its files are.</summary>
public sealed record RunResult
{
    /// <summary>How <see cref="ToJson"/> is written: one line.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = false };

    /// <summary>The config the run trained with.</summary>
    public required TrainConfig Config { get; init; }

    /// <summary>The preset the config started from.</summary>
    public required string Preset { get; init; }

    /// <summary>Steps, episodes, evaluations and whether and when the run solved.</summary>
    public required TrainingOutcome Outcome { get; init; }

    /// <summary>The run folder.</summary>
    public required string Folder { get; init; }

    /// <summary>model.safetensors: the best policy by evaluation.</summary>
    public required string ModelPath { get; init; }

    /// <summary>last.safetensors: the final weights.</summary>
    public required string LastPath { get; init; }

    /// <summary>report.html.</summary>
    public required string ReportPath { get; init; }

    /// <summary>checkpoint.safetensors, or null for a trainer that writes none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>True when the run continued one from a checkpoint.</summary>
    public bool Resumed { get; init; }

    /// <summary>The held-out evaluation of the final model (see <see cref="TrainingRun.HeldOutEvaluation"/>); null when unfinished.</summary>
    public EvaluationResult? HeldOut { get; init; }

    /// <summary>
    /// True when the run was solved (<see cref="TrainingOutcome.SolvedAtStep"/>: for DQN a confirmed evaluation, see
    /// <see cref="SolveTracker"/>) and its final evaluation's mean reached solve_threshold; false for an unfinished run.
    /// </summary>
    public bool Solved => Outcome.SolvedAtStep is not null && Outcome.FinalEvaluation is { } final && final.Mean >= Config.SolveThreshold;

    /// <summary>
    /// The run as one JSON object (<c>train --json</c>'s last line and summary.json): <c>solved</c> (the final
    /// evaluation reached the threshold), <c>solved_at_step</c> (the step of the first periodic evaluation that did,
    /// or null), <c>solved_at_seconds</c>, <c>finished</c>, <c>env_steps</c>, <c>episodes</c>, <c>updates</c>,
    /// <c>wall_seconds</c>, <c>eval_mean_return</c>, <c>eval_std_return</c>, <c>eval_min_return</c>,
    /// <c>eval_max_return</c>, <c>eval_episodes</c> (the final evaluation; null when unfinished), the best periodic
    /// evaluation, the time breakdown in seconds, and the paths.
    /// </summary>
    public JsonObject ToJson()
    {
        var o = Outcome;
        var final = o.FinalEvaluation;
        var json = new JsonObject
        {
            ["solved"] = Solved,
            ["solved_at_step"] = o.SolvedAtStep,
            ["solved_at_seconds"] = o.SolvedAtSeconds,
            ["finished"] = o.Finished,
            ["algo"] = AlgorithmNames.Key(Config.Algorithm),
            ["preset"] = Preset,
            ["seed"] = Config.Seed,
            ["env_steps"] = o.Steps,
            ["episodes"] = o.Episodes,
            ["updates"] = o.Updates,
            ["wall_seconds"] = o.Elapsed.TotalSeconds,
            ["eval_mean_return"] = final?.Mean,
            ["eval_std_return"] = final?.Std,
            ["eval_min_return"] = final?.Min,
            ["eval_max_return"] = final?.Max,
            ["eval_episodes"] = final?.Episodes,
            ["best_eval_step"] = o.BestEvaluation?.Step,
            ["best_eval_mean_return"] = o.BestEvaluation?.Mean,
            ["heldout_mean_return"] = HeldOut?.Mean,
            ["heldout_std_return"] = HeldOut?.Std,
            ["heldout_min_return"] = HeldOut?.Min,
            ["heldout_episodes"] = HeldOut?.Episodes,
            ["resumed"] = Resumed,
            ["resumed_from_step"] = Resumed ? o.ResumedFromStep : null,
            ["time"] = o.Time is { } t
                ? new JsonObject
                {
                    ["acting_seconds"] = t.Acting.TotalSeconds,
                    ["environment_seconds"] = t.Environment.TotalSeconds,
                    ["storing_seconds"] = t.Storing.TotalSeconds,
                    ["updates_seconds"] = t.Updates.TotalSeconds,
                    ["target_updates_seconds"] = t.TargetUpdates.TotalSeconds,
                    ["evaluation_seconds"] = t.Evaluation.TotalSeconds,
                    ["checkpoint_seconds"] = t.Checkpoints.TotalSeconds,
                    ["other_seconds"] = t.Other.TotalSeconds,
                    ["total_seconds"] = t.Total.TotalSeconds,
                }
                : null,
            ["run_dir"] = Folder,
            ["model"] = ModelPath,
            ["last_model"] = LastPath,
            ["report"] = ReportPath,
            ["checkpoint"] = CheckpointPath,
        };
        return json;
    }
}
