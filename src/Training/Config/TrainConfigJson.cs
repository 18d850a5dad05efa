using System.Text.Json;
using System.Text.Json.Serialization;
using TinyTorch.IO;

namespace Training.Config;

/// <summary>
/// <see cref="TrainConfig"/> as JSON with System.Text.Json: snake_case names as in CleanRL (<c>learning_rate</c>,
/// <c>target_network_frequency</c>, ...), enums as lower-case strings (<c>"huber"</c>, <c>"adam"</c>, <c>"qtable"</c>).
/// Reading rejects unknown fields (a misspelt name must not silently fall back to a default) and validates the result;
/// fields that are absent keep their defaults (the <c>fast</c> preset). The run folder's config.json is written with
/// <see cref="Save"/> and holds every field, so it reproduces the run exactly.
/// </summary>
public static class TrainConfigJson
{
    /// <summary>The serializer settings, for callers that embed a config in another JSON document.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, Options);
    }

    /// <summary>Parses and validates; <paramref name="source"/> names the text in error messages (e.g. the file path).</summary>
    public static TrainConfig Deserialize(string json, string source = "config")
    {
        ArgumentNullException.ThrowIfNull(json);
        TrainConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<TrainConfig>(json, Options);
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{source}: {e.Message}", e);
        }
        if (config is null)
            throw new ConfigException($"{source}: expected a JSON object with the config fields, got null.");
        try
        {
            return config.Validate();
        }
        catch (ConfigException e)
        {
            throw new ConfigException(e.Problems.Select(problem => $"{source}: {problem}").ToList());
        }
    }

    /// <summary>Reads and validates a config file.</summary>
    public static TrainConfig Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"Cannot read config file '{path}': {e.Message}", e);
        }
        return Deserialize(json, path);
    }

    /// <summary>Writes the config atomically (temporary file, then a move over <paramref name="path"/>).</summary>
    public static void Save(string path, TrainConfig config) => AtomicFile.WriteAllText(path, Serialize(config) + "\n");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            WriteIndented = true,
            IndentSize = 2,
            NumberHandling = JsonNumberHandling.Strict,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
