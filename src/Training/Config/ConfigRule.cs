namespace Training.Config;

/// <summary>
/// A condition a field must meet beyond its own range, usually relating it to another field ("≤ buffer_size").
/// <paramref name="Text"/> is what the docs and <c>--help</c> show; <paramref name="Problem"/> returns the error
/// sentence, naming each field with <see cref="ConfigNames"/>, or null when the condition holds.
/// </summary>
public sealed record ConfigRule(string Text, Func<TrainConfig, ConfigNames, string?> Problem);
