using Training.Evaluation;
using Training.Reporting;

namespace Training.Runs;

/// <summary>
/// How a call to <see cref="ITrainer.Train"/> ended. A run that was cancelled (or paused) has <see cref="Finished"/>
/// false and no final evaluation; it can be resumed from a checkpoint.
/// </summary>
public sealed record TrainingOutcome
{
    /// <summary>True when training reached its end (the step budget, or solved with stop_when_solved) and the final evaluation ran.</summary>
    public required bool Finished { get; init; }

    /// <summary>Environment steps done.</summary>
    public required long Steps { get; init; }

    /// <summary>Episodes finished.</summary>
    public required int Episodes { get; init; }

    /// <summary>Gradient steps (or table updates) done.</summary>
    public required long Updates { get; init; }

    /// <summary>The step whose weights passed the confirmation: a periodic evaluation reached solve_threshold and final_eval_episodes episodes of the same weights did too (null: none did).</summary>
    public long? SolvedAtStep { get; init; }

    /// <summary>Training wall time when that evaluation ended.</summary>
    public double? SolvedAtSeconds { get; init; }

    /// <summary>The best periodic evaluation (the one whose weights model.safetensors holds); null before the first.</summary>
    public EvaluationRecord? BestEvaluation { get; init; }

    /// <summary>The final evaluation (final_eval_episodes episodes of the best policy); null when not <see cref="Finished"/>.</summary>
    public EvaluationResult? FinalEvaluation { get; init; }

    /// <summary>The step this process's part of the run started from: 0 for a new run, the checkpoint's step for a resumed one.</summary>
    public long ResumedFromStep { get; init; }

    /// <summary>Training wall time, summed over resumed parts.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Where the time went (of this process's part of the run); null when the trainer does not measure it.</summary>
    public TimeBreakdown? Time { get; init; }

    /// <summary>The summary for the report, or null when the run has not finished.</summary>
    public TrainingSummary? Summary =>
        Finished && FinalEvaluation is { } final ? new TrainingSummary(Steps, Episodes, Updates, SolvedAtStep, final, Elapsed) : null;
}
