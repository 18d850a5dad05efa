using System.Globalization;
using System.Text.Json;

namespace Training.Config;

/// <summary>
/// How a config value of type <typeparamref name="T"/> is written on the command line (<c>128,128</c>, <c>none</c>),
/// in JSON (<c>[128, 128]</c>, <c>null</c>) and in the docs, and which numbers in it a <see cref="ValueRange"/> checks.
/// One instance per kind (<see cref="ConfigValues"/>), shared by every field of that kind.
/// </summary>
public abstract class ConfigValue<T>
{
    /// <summary>What a flag's text must be, after "must be": "a whole number", "comma-separated numbers".</summary>
    public abstract string Expected { get; }

    /// <summary>What a JSON value must be, after "must be".</summary>
    public virtual string ExpectedJson => Expected;

    /// <summary>The placeholder shown after the flag in <c>--help</c>: N, X, dqn|qtable.</summary>
    public abstract string Placeholder { get; }

    /// <summary>Reads a flag's <paramref name="text"/>; false when it is not a value of this kind.</summary>
    public abstract bool TryParse(string text, out T value);

    /// <summary>The text a flag takes to set <paramref name="value"/>: <see cref="TryParse"/> reads it back exactly.</summary>
    public abstract string Text(T value);

    /// <summary>The value as the docs show it (lists in brackets, as in config.json).</summary>
    public virtual string Show(T value) => Text(value);

    /// <summary>Reads a JSON value; false when it is not a value of this kind.</summary>
    public abstract bool TryRead(JsonElement json, out T value);

    /// <summary>Writes <paramref name="value"/> as JSON.</summary>
    public abstract void Write(Utf8JsonWriter writer, T value);

    /// <summary>The numbers a range applies to, each with the suffix that names it: ("", v) or ("[i]", vᵢ) for a list.</summary>
    public virtual IEnumerable<(string Suffix, double Value)> Numbers(T value) => [];

    /// <summary>The invariant culture every text form uses.</summary>
    protected static CultureInfo Inv => CultureInfo.InvariantCulture;
}
