using System.Text.Json;

namespace Training.Config;

/// <summary>
/// One hyperparameter, declared once (<see cref="TrainConfigFields"/>): its JSON key, its flag, a one-line doc, the
/// values it may take, and which runs read it. config.json, the <c>train</c>/<c>sweep</c> flags, <c>--help</c>,
/// validation messages and docs/PRESETS.md all come from these declarations; the typed value lives in a
/// <see cref="TrainConfig"/> property, reached through <see cref="ConfigField{T}"/>'s accessors.
/// </summary>
public abstract class ConfigField
{
    private protected ConfigField(string key, string? flag, string doc)
    {
        Key = key;
        Flag = flag;
        Doc = doc;
    }

    /// <summary>The snake_case name in config.json; a dot nests it (<c>tabular.alpha</c> is <c>{"tabular": {"alpha": …}}</c>).</summary>
    public string Key { get; }

    /// <summary>The long option that sets it (<c>--lr</c>); a switch also has <see cref="NegatedFlag"/>.</summary>
    public string? Flag { get; }

    /// <summary>What the value means, in one sentence.</summary>
    public string Doc { get; }

    /// <summary>Which runs read the field.</summary>
    public FieldScope Scope { get; init; } = FieldScope.Every;

    /// <summary>Conditions beyond the value's own range, checked after it (e.g. batch_size ≤ buffer_size).</summary>
    public IReadOnlyList<ConfigRule> Rules { get; init; } = [];

    /// <summary>
    /// True when each command declares the flag itself rather than taking it from the shared config flags
    /// (<c>seed</c>: <c>train --seed</c>; <c>sweep --first-seed</c> sets a range of seeds).
    /// </summary>
    public bool FlagOwnedByCommand { get; init; }

    /// <summary>A switch takes no value on the command line: <c>--double</c> sets it, <c>--no-double</c> clears it.</summary>
    public abstract bool IsSwitch { get; }

    /// <summary><c>--no-x</c> for a switch <c>--x</c>; null otherwise.</summary>
    public string? NegatedFlag => IsSwitch && Flag is not null ? "--no-" + Flag[2..] : null;

    /// <summary>The placeholder shown after the flag in <c>--help</c> (empty for a switch).</summary>
    public abstract string Placeholder { get; }

    /// <summary>The valid values in words: the range, then each rule ("≥ 1; ≤ buffer_size"); empty when any value goes.</summary>
    public abstract string Valid { get; }

    /// <summary>True when a run with algorithm <paramref name="algorithm"/> reads the field (prioritized replay aside).</summary>
    public bool IsUsedBy(Algorithm algorithm) => Scope switch
    {
        FieldScope.Dqn or FieldScope.PrioritizedDqn => algorithm == Algorithm.Dqn,
        FieldScope.QTable => algorithm == Algorithm.QTable,
        FieldScope.Network => algorithm is Algorithm.Dqn or Algorithm.Ppo or Algorithm.Reinforce,
        FieldScope.ValueBased => algorithm is Algorithm.Dqn or Algorithm.QTable,
        FieldScope.PolicyGradient => algorithm is Algorithm.Ppo or Algorithm.Reinforce,
        FieldScope.Ppo => algorithm == Algorithm.Ppo,
        _ => true,
    };

    /// <summary>True when the run configured by <paramref name="config"/> reads the field.</summary>
    public bool IsUsedBy(TrainConfig config) =>
        IsUsedBy(config.Algorithm) && (Scope != FieldScope.PrioritizedDqn || config.Prioritized);

    /// <summary>The value in <paramref name="config"/> as the docs show it.</summary>
    public abstract string Show(TrainConfig config);

    /// <summary>The value in <paramref name="config"/> as a flag takes it.</summary>
    public abstract string Text(TrainConfig config);

    /// <summary><paramref name="config"/> with the value read from a flag's text.</summary>
    /// <exception cref="ConfigException">"<paramref name="name"/> must be …, got '…'." when the text is not a value of this kind.</exception>
    public abstract TrainConfig Parse(TrainConfig config, string text, string name);

    /// <summary><paramref name="config"/> with the value read from JSON.</summary>
    /// <exception cref="ConfigException">"<paramref name="name"/> must be …, got …." when the JSON is not a value of this kind.</exception>
    public abstract TrainConfig Read(TrainConfig config, JsonElement json, string name);

    /// <summary>Writes the value in <paramref name="config"/> as JSON (the value only; the caller writes the key).</summary>
    public abstract void Write(Utf8JsonWriter writer, TrainConfig config);

    /// <summary>Adds the field's problems in <paramref name="config"/> (none when the run does not read it).</summary>
    public abstract void Check(TrainConfig config, ConfigNames names, List<ConfigProblem> problems);

    /// <summary>The JSON key.</summary>
    public override string ToString() => Key;
}
