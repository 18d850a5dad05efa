namespace Dqn.Update;

/// <summary>What <see cref="QUpdate.Step"/> returns: the loss before the step and, when asked for, every intermediate value.</summary>
public sealed record QUpdateResult(float Loss, QUpdateExplanation? Explanation);
