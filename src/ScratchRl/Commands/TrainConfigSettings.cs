using System.ComponentModel;
using ScratchRl.Cli;
using Spectre.Console.Cli;
using Training.Config;

namespace ScratchRl.Commands;

/// <summary>
/// The flags that build a <see cref="TrainConfig"/>, shared by <c>train</c> and <c>sweep</c>: a preset (or a config
/// file), then any field overridden by its flag. The config flags are not Spectre options: each is declared once in
/// <see cref="TrainConfigFields"/>, Spectre passes them on as remaining arguments (<see cref="BindConfigFlags"/>), and
/// <see cref="TrainConfigHelpProvider"/> lists them in <c>--help</c>. An error names the flag when the user gave the
/// value by a flag, and the key (prefixed by the file) when it came from a config file.
/// </summary>
public class TrainConfigSettings : CommandSettings
{
    [CommandOption("--preset <NAME>")]
    [Description("Starting configuration: fast (default), zoo, cleanrl, seed, qtable, ppo, ppo-fast or reinforce (see docs/PRESETS.md).")]
    public string? Preset { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("Start from a config.json (e.g. a run folder's) instead of a preset; flags still override it.")]
    public string? ConfigFile { get; init; }

    /// <summary>The config flags as given, in order, with their text (null for none); set by <see cref="BindConfigFlags"/>.</summary>
    internal IReadOnlyList<(string Flag, string? Text)> ConfigFlags { get; set; } = [];

    /// <summary>Each shared config flag, and the <c>--no-</c> form of each switch, with the field it sets.</summary>
    internal static IReadOnlyDictionary<string, ConfigField> FlagFields { get; } = CreateFlagFields();

    /// <summary>
    /// Hands the options Spectre did not know (with relaxed parsing, its remaining arguments) to a command with config
    /// flags; for any other command they are unknown options. Called before every command runs.
    /// </summary>
    /// <exception cref="UsageException">An unknown option, or arguments after <c>--</c>.</exception>
    internal static void BindConfigFlags(CommandContext context, CommandSettings settings)
    {
        if (context.Remaining.Raw.Count > 0)
            throw new UsageException($"unexpected arguments after '--': {string.Join(" ", context.Remaining.Raw)}.");
        var given = new List<(string, string?)>();
        foreach (var option in context.Remaining.Parsed)
        {
            foreach (string? text in option)
                given.Add((option.Key, text));
        }
        if (settings is TrainConfigSettings config)
            config.ConfigFlags = given;
        else if (given.Count > 0)
            throw new UsageException($"unknown option '{given[0].Item1}'; see --help.");
    }

    /// <summary>The flags of this class that were given (to refuse them where they make no sense, e.g. with --resume).</summary>
    internal List<string> GivenFlags()
    {
        var given = new List<string>();
        if (Preset is not null)
            given.Add("--preset");
        if (ConfigFile is not null)
            given.Add("--config");
        given.AddRange(ConfigFlags.Select(f => f.Flag));
        return given;
    }

    /// <summary>The preset's name (or "custom" for a config file) and the config after every override, validated.</summary>
    /// <exception cref="UsageException">A bad flag or value, or a config that does not validate (every problem listed).</exception>
    internal (string PresetName, TrainConfig Config) BuildConfig()
    {
        if (Preset is not null && ConfigFile is not null)
            throw new UsageException("give either --preset or --config, not both.");
        var overrides = Overrides();

        string presetName;
        TrainConfig c;
        if (ConfigFile is not null)
        {
            presetName = "custom";
            c = Usage(() => TrainConfigJson.Read(ConfigFile));
        }
        else
        {
            // --algo qtable, ppo or reinforce alone starts from the preset of that name.
            var algo = overrides.FirstOrDefault(o => o.Field.Key == "algorithm");
            var algorithm = algo.Field is not null ? Usage(() => algo.Field.Parse(new TrainConfig(), algo.Text, algo.Flag)).Algorithm : Algorithm.Dqn;
            presetName = (Preset ?? (algorithm == Algorithm.Dqn ? Presets.Default : AlgorithmNames.Key(algorithm))).ToLowerInvariant();
            if (!Presets.Names.Contains(presetName))
                throw new UsageException($"unknown preset '{Preset}'; expected one of: {string.Join(", ", Presets.Names)}.");
            c = Presets.Get(presetName);
        }

        var flagOf = new Dictionary<ConfigField, string>();
        foreach (var (field, flag, text) in overrides)
        {
            c = Usage(() => field.Parse(c, text, flag));
            flagOf[field] = flag;
        }
        var problems = c.Problems(new ConfigNames(f => flagOf.GetValueOrDefault(f) ?? f.Key));
        Throw(problems.Select(p => ConfigFile is not null && !flagOf.ContainsKey(p.Field) ? $"{ConfigFile}: {p.Message}" : p.Message).ToList());
        return (presetName, c);
    }

    /// <summary>
    /// Validates a config built by <see cref="BuildConfig"/> and then changed by a command's own flags (train's
    /// <c>--seed</c>); each problem names the fields by their flags.
    /// </summary>
    /// <exception cref="UsageException">Every problem, in one line.</exception>
    internal static TrainConfig Validated(TrainConfig config)
    {
        Throw(config.Problems(ConfigNames.Flags).Select(p => p.Message).ToList());
        return config;
    }

    /// <summary>The config flags given, each resolved to its field and the text it sets (a switch: "true" or "false").</summary>
    private List<(ConfigField Field, string Flag, string Text)> Overrides()
    {
        var overrides = new List<(ConfigField Field, string Flag, string Text)>();
        foreach (var (flag, text) in ConfigFlags)
        {
            if (!FlagFields.TryGetValue(flag, out var field))
                throw new UsageException($"unknown option '{flag}'; see --help.");
            if (overrides.FirstOrDefault(o => o.Field == field) is { Field: not null } earlier)
                throw new UsageException(earlier.Flag == flag ? $"{flag} is given twice." : $"{earlier.Flag} and {flag} both set {field.Key}; give one.");
            string value = field.IsSwitch
                ? text is null ? (flag == field.Flag).ToString().ToLowerInvariant() : throw new UsageException($"{flag} takes no value, got '{text}'.")
                : text ?? throw new UsageException($"{flag} needs a value ({field.Placeholder}).");
            overrides.Add((field, flag, value));
        }
        return overrides;
    }

    private static Dictionary<string, ConfigField> CreateFlagFields()
    {
        var flags = new Dictionary<string, ConfigField>(StringComparer.Ordinal);
        foreach (var field in TrainConfigFields.All.Where(f => f.Flag is not null && !f.FlagOwnedByCommand))
        {
            flags.Add(field.Flag!, field);
            if (field.NegatedFlag is { } negated)
                flags.Add(negated, field);
        }
        return flags;
    }

    private static T Usage<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ConfigException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static void Throw(List<string> problems)
    {
        if (problems.Count > 0)
            throw new UsageException(problems.Count == 1 ? problems[0] : $"{problems.Count} problems: {string.Join("; ", problems)}");
    }
}
