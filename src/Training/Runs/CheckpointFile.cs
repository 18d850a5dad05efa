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
/// </summary>
public static class CheckpointFile
{
    /// <summary>How the scalars are written: snake_case names, numbers as numbers.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>Writes a checkpoint of <paramref name="format"/> to <paramref name="path"/>, atomically.</summary>
    public static void Write<TScalars>(string path, string format, IEnumerable<SafetensorsEntry> tensors, TrainConfig config,
        TScalars scalars, MetricsLog metrics, IDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = format,
            ["config"] = TrainConfigJson.Serialize(config),
            ["state"] = JsonSerializer.Serialize(scalars, Json),
            ["metrics"] = metrics.ToCsv(),
            ["labels"] = JsonSerializer.Serialize(labels, Json),
        };
        new SafetensorsFile([.. tensors], metadata).Write(path);
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
