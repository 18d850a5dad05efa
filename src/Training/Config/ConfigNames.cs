namespace Training.Config;

/// <summary>
/// How an error names a config field: by what the user wrote to set it. A value given by a flag is named by the
/// flag (<c>--lr</c>), one from a config file or a preset by its JSON key (<c>learning_rate</c>).
/// </summary>
public sealed class ConfigNames(Func<ConfigField, string> name)
{
    /// <summary>Every field by its JSON key.</summary>
    public static ConfigNames Keys { get; } = new(field => field.Key);

    /// <summary>Every field by its flag (its key when it has none).</summary>
    public static ConfigNames Flags { get; } = new(field => field.Flag ?? field.Key);

    /// <summary>The name an error uses for <paramref name="field"/>.</summary>
    public string this[ConfigField field] => name(field);

    /// <summary>The name of the field with JSON key <paramref name="key"/>.</summary>
    public string this[string key] => name(TrainConfigFields.Get(key));
}
