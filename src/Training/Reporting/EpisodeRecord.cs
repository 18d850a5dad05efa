namespace Training.Reporting;

/// <summary>
/// One finished training episode: a <c>kind=episode</c> row of metrics.csv.
/// <see cref="Step"/> counts environment steps done when the episode ended; <see cref="Loss"/> is the mean training
/// loss over the updates made during the episode (NaN when there were none, e.g. before learning_starts).
/// </summary>
public readonly record struct EpisodeRecord(
    long Step,
    int Episode,
    double Return,
    int Length,
    double Epsilon,
    double Loss,
    double TimeSeconds);
