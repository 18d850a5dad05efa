namespace Training.Config;

/// <summary>
/// A configuration that cannot be read or does not make sense. The message is one readable line naming each bad
/// field (snake_case, as in config.json), its value and the valid range; <see cref="Problems"/> lists them one by one.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : this([message])
    {
    }

    public ConfigException(IReadOnlyList<string> problems)
        : base(problems.Count == 1 ? problems[0] : $"{problems.Count} config problems: {string.Join("; ", problems)}")
    {
        Problems = problems;
    }

    public ConfigException(string message, Exception inner)
        : base(message, inner)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}
