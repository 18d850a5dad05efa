namespace Training.Config;

/// <summary>
/// A configuration that cannot be read or does not make sense. The message is one readable line naming each bad
/// field (snake_case, as in config.json), its value and the valid range; <see cref="Problems"/> lists them one by one.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>A config with one problem, <paramref name="message"/>.</summary>
    public ConfigException(string message)
        : this([message])
    {
    }

    /// <summary>A config with several problems; the message joins them ("3 config problems: …; …").</summary>
    public ConfigException(IReadOnlyList<string> problems)
        : base(problems.Count == 1 ? problems[0] : $"{problems.Count} config problems: {string.Join("; ", problems)}")
    {
        Problems = problems;
    }

    /// <summary>A config that could not be read: <paramref name="message"/>, caused by <paramref name="inner"/> (e.g. malformed JSON).</summary>
    public ConfigException(string message, Exception inner)
        : base(message, inner)
    {
        Problems = [message];
    }

    /// <summary>Each problem in one line: the field, its value and what it must be.</summary>
    public IReadOnlyList<string> Problems { get; }
}
