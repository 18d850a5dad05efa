namespace PolicyGradient.Update;

/// <summary>The statistics of one PPO update (before its optimizer step) and, when asked for, every intermediate value.</summary>
public sealed record PpoUpdateResult(PpoStats Stats, PpoExplanation? Explanation);
