using Training.Evaluation;

namespace Training.Reporting;

/// <summary>How a training run ended: steps and episodes done, when it was solved (null: never), and the final evaluation.</summary>
public sealed record TrainingSummary(
    long Steps,
    int Episodes,
    long Updates,
    long? SolvedAtStep,
    EvaluationResult FinalEvaluation,
    TimeSpan Elapsed);
