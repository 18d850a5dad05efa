using System.Text.Json;
using System.Text.Json.Serialization;
using TinyTorch.IO;
using Training.Config;
using Training.Reporting;

namespace Training.Runs;

/// <summary>
/// The file every trainer's checkpoint is: one safetensors file, written atomically, holding the trainer's tensors and
/// the metadata <c>format</c> (which trainer wrote it), <c>config</c> (config.json's text), <c>state</c> (the loop's
/// scalars as snake_case JSON), <c>metrics</c> (metrics.csv's text) and <c>labels</c>. Each trainer decides its tensors
/// and its scalars; reading checks the format and turns every problem into an <see cref="InvalidDataException"/> that
/// names the file.
/// <para>
/// An instance is a checkpoint taken at one moment and not yet written (<see cref="Capture{TScalars}"/>): the trainer
/// captures it between two steps (copies of its tensors, its metrics as text), and <see cref="Write"/> serialises and
/// writes it later, on any thread, while training goes on (<see cref="BackgroundWriter"/>).
/// </para>
/// </summary>
public sealed class CheckpointFile
{
    /// <summary>How the scalars are written: snake_case names, numbers as numbers.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private readonly string _format;
    private readonly SafetensorsEntry[] _tensors;
    private readonly TrainConfig _config;
    private readonly Func<string> _scalars;
    private readonly string _metrics;
    private readonly Dictionary<string, string> _labels;

    private CheckpointFile(string format, SafetensorsEntry[] tensors, TrainConfig config, Func<string> scalars, string metrics,
        Dictionary<string, string> labels) =>
        (_format, _tensors, _config, _scalars, _metrics, _labels) = (format, tensors, config, scalars, metrics, labels);

    /// <summary>
    /// A checkpoint of <paramref name="format"/> as the trainer is now. The entries already hold copies of the tensors
    /// (<see cref="SafetensorsEntry.FromTensor"/> copies); the metrics are turned into text and the labels copied here;
    /// <paramref name="scalars"/> and <paramref name="config"/> must be values nothing changes afterwards (records of
    /// numbers and copied arrays). The trainer may then go on: the capture does not see it.
    /// </summary>
    public static CheckpointFile Capture<TScalars>(string format, IEnumerable<SafetensorsEntry> tensors, TrainConfig config,
        TScalars scalars, MetricsLog metrics, IDictionary<string, string> labels)
    {
        ArgumentException.ThrowIfNullOrEmpty(format);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(labels);
        return new CheckpointFile(format, [.. tensors], config, () => JsonSerializer.Serialize(scalars, Json), metrics.ToCsv(),
            new Dictionary<string, string>(labels));
    }

    /// <summary>Writes the checkpoint to <paramref name="path"/>, atomically (<see cref="AtomicFile"/>); safe on any thread.</summary>
    public void Write(string path)
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = _format,
            ["config"] = TrainConfigJson.Serialize(_config),
            ["state"] = _scalars(),
            ["metrics"] = _metrics,
            ["labels"] = JsonSerializer.Serialize(_labels, Json),
        };
        new SafetensorsFile(_tensors, metadata).Write(path);
    }

    /// <summary>
    /// Reads a checkpoint of <paramref name="format"/> and hands its parts to <paramref name="restore"/>, which builds
    /// the trainer's state from them. Every problem, in the file or in <paramref name="restore"/>, becomes an
    /// <see cref="InvalidDataException"/> naming <paramref name="path"/>.
    /// </summary>
    public static T Read<TScalars, T>(string path, string format, Func<Checkpoint<TScalars>, T> restore)
    {
        ArgumentNullException.ThrowIfNull(restore);
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Read(path);
        }
        catch (SafetensorsException e)
        {
            throw new InvalidDataException($"'{path}' is not a checkpoint: {e.Message}", e);
        }
        if (file.Metadata is not { } metadata || !metadata.TryGetValue("format", out string? found) || found != format)
            throw new InvalidDataException($"'{path}' is not a ScratchRl checkpoint of this kind (its metadata has no \"format\": \"{format}\").");
        try
        {
            var checkpoint = new Checkpoint<TScalars>(
                file,
                TrainConfigJson.Deserialize(Required(metadata, "config"), $"{path} (config)"),
                JsonSerializer.Deserialize<TScalars>(Required(metadata, "state"), Json) ?? throw new InvalidDataException("the state is null."),
                MetricsLog.ParseCsv(Required(metadata, "metrics"), $"{path} (metrics)"),
                JsonSerializer.Deserialize<Dictionary<string, string>>(Required(metadata, "labels"), Json) ?? []);
            return restore(checkpoint);
        }
        catch (Exception e) when (e is ArgumentException or JsonException or ConfigException or SafetensorsException or KeyNotFoundException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' is not a usable checkpoint: {e.Message}", e);
        }
    }

    /// <summary>The "format" of the checkpoint at <paramref name="path"/>: which trainer wrote it.</summary>
    /// <exception cref="InvalidDataException">The file is not a safetensors file with a format.</exception>
    public static string FormatOf(string path)
    {
        try
        {
            return SafetensorsFile.Read(path).Metadata?.GetValueOrDefault("format")
                ?? throw new InvalidDataException($"'{path}' is not a ScratchRl checkpoint (its metadata has no \"format\").");
        }
        catch (SafetensorsException e)
        {
            throw new InvalidDataException($"'{path}' is not a checkpoint: {e.Message}", e);
        }
    }

    /// <summary>The config saved in a checkpoint of <paramref name="format"/> (to build the environment before reading the rest).</summary>
    public static TrainConfig ReadConfig(string path, string format) =>
        Read<JsonElement, TrainConfig>(path, format, checkpoint => checkpoint.Config);

    private static string Required(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out string? value) ? value : throw new InvalidDataException($"the metadata has no '{key}'.");
}

/// <summary>The parts of a checkpoint (see <see cref="CheckpointFile"/>).</summary>
public sealed record Checkpoint<TScalars>(
    SafetensorsFile File,
    TrainConfig Config,
    TScalars Scalars,
    MetricsLog Metrics,
    Dictionary<string, string> Labels);
