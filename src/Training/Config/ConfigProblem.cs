namespace Training.Config;

/// <summary>One problem of a config: the field whose declaration found it, and a readable sentence naming the value.</summary>
public sealed record ConfigProblem(ConfigField Field, string Message);
