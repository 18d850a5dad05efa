using System.Text.Json;

namespace Training.Config;

/// <summary>A <see cref="ConfigField"/> whose value is a <typeparamref name="T"/>, read and written through typed accessors.</summary>
public sealed class ConfigField<T> : ConfigField
{
    private readonly ConfigValue<T> _value;
    private readonly Func<TrainConfig, T> _get;
    private readonly Func<TrainConfig, T, TrainConfig> _set;

    /// <param name="key">JSON key.</param>
    /// <param name="flag">Long option, or null.</param>
    /// <param name="value">The kind of value (<see cref="ConfigValues"/>).</param>
    /// <param name="get">Reads the value: <c>c =&gt; c.Gamma</c>.</param>
    /// <param name="set">A copy with the value changed: <c>(c, v) =&gt; c with { Gamma = v }</c>.</param>
    /// <param name="doc">One-line meaning.</param>
    public ConfigField(string key, string? flag, ConfigValue<T> value, Func<TrainConfig, T> get,
        Func<TrainConfig, T, TrainConfig> set, string doc)
        : base(key, flag, doc)
    {
        _value = value;
        _get = get;
        _set = set;
    }

    /// <summary>The range every number of the value must lie in (each element of a list); null: any value of the kind.</summary>
    public ValueRange? Range { get; init; }

    /// <inheritdoc/>
    public override bool IsSwitch => typeof(T) == typeof(bool);

    /// <inheritdoc/>
    public override string Placeholder => _value.Placeholder;

    /// <inheritdoc/>
    public override string Valid => string.Join("; ", new[] { Range?.Text }.Concat(Rules.Select(r => r.Text)).OfType<string>());

    /// <summary>The field's value in <paramref name="config"/>.</summary>
    public T Get(TrainConfig config) => _get(config);

    /// <summary>A copy of <paramref name="config"/> with the field set to <paramref name="value"/> (not validated).</summary>
    public TrainConfig Set(TrainConfig config, T value) => _set(config, value);

    /// <inheritdoc/>
    public override string Show(TrainConfig config) => _value.Show(_get(config));

    /// <inheritdoc/>
    public override string Text(TrainConfig config) => _value.Text(_get(config));

    /// <inheritdoc/>
    public override TrainConfig Parse(TrainConfig config, string text, string name) =>
        _value.TryParse(text, out T v) ? _set(config, v) : throw new ConfigException($"{name} must be {_value.Expected}, got '{text}'.");

    /// <inheritdoc/>
    public override TrainConfig Read(TrainConfig config, JsonElement json, string name) =>
        _value.TryRead(json, out T v) ? _set(config, v) : throw new ConfigException($"{name} must be {_value.ExpectedJson}, got {json.GetRawText()}.");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TrainConfig config) => _value.Write(writer, _get(config));

    /// <inheritdoc/>
    public override void Check(TrainConfig config, ConfigNames names, List<ConfigProblem> problems)
    {
        if (!IsUsedBy(config))
            return;
        if (Range is { } range)
        {
            foreach (var (suffix, number) in _value.Numbers(_get(config)))
            {
                if (range.Problem(names[this] + suffix, number) is { } problem)
                    problems.Add(new ConfigProblem(this, problem));
            }
        }
        foreach (var rule in Rules)
        {
            if (rule.Problem(config, names) is { } problem)
                problems.Add(new ConfigProblem(this, problem));
        }
    }
}
