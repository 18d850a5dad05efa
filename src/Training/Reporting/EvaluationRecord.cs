using Training.Evaluation;

namespace Training.Reporting;

/// <summary>
/// One greedy evaluation: a <c>kind=eval</c> row of metrics.csv, or <c>kind=final_eval</c> for the evaluation after
/// training (<see cref="Final"/>). <see cref="Step"/> and <see cref="Episode"/> say how far training was.
/// </summary>
public readonly record struct EvaluationRecord(
    long Step,
    int Episode,
    double Mean,
    double Std,
    double Min,
    double Max,
    int Episodes,
    bool Final,
    double TimeSeconds)
{
    /// <summary>The record of <paramref name="result"/>, taken after <paramref name="step"/> steps and <paramref name="episode"/> episodes.</summary>
    public static EvaluationRecord From(long step, int episode, EvaluationResult result, bool final, double timeSeconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(step, episode, result.Mean, result.Std, result.Min, result.Max, result.Episodes, final, timeSeconds);
    }
}
