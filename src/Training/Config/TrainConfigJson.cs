using System.Text.Json;
using System.Text.Json.Serialization;
using TinyTorch.IO;

namespace Training.Config;

/// <summary>
/// <see cref="TrainConfig"/> as JSON, written and read field by field from <see cref="TrainConfigFields"/>: the
/// declared snake_case keys (<c>learning_rate</c>, <c>target_network_frequency</c>, <c>tabular.alpha</c> nested as
/// <c>{"tabular": {"alpha": …}}</c>), enums as lower-case strings (<c>"huber"</c>, <c>"qtable"</c>), null for "none".
/// Reading rejects unknown fields (a misspelt name must not silently fall back to a default) and values of the wrong
/// kind, naming each key; fields that are absent keep their defaults (the <c>fast</c> preset). The run folder's
/// config.json is written with <see cref="Save"/> and holds every field, so it reproduces the run exactly.
/// </summary>
public static class TrainConfigJson
{
    /// <summary>
    /// Serializer settings for callers that embed a config in another JSON document: a <see cref="TrainConfig"/> goes
    /// through the declarations (as <see cref="Serialize"/>), other types (e.g. <see cref="TabularConfig"/>) use
    /// snake_case names and lower-case enums.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Every field of <paramref name="config"/> as indented JSON (what config.json holds).</summary>
    public static string Serialize(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentSize = 2 }))
            Write(writer, config);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes every field, in declaration order; a dotted key goes into a nested object.</summary>
    public static void Write(Utf8JsonWriter writer, TrainConfig config)
    {
        writer.WriteStartObject();
        string? group = null;
        foreach (var field in TrainConfigFields.All)
        {
            int dot = field.Key.IndexOf('.');
            string? prefix = dot < 0 ? null : field.Key[..dot];
            if (prefix != group)
            {
                if (group is not null)
                    writer.WriteEndObject();
                if (prefix is not null)
                    writer.WriteStartObject(prefix);
                group = prefix;
            }
            writer.WritePropertyName(field.Key[(dot + 1)..]);
            field.Write(writer, config);
        }
        if (group is not null)
            writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Parses without validating; <paramref name="source"/> names the text in error messages (e.g. the file path).</summary>
    /// <exception cref="ConfigException">Not JSON, not an object, an unknown field, or a value of the wrong kind (all listed).</exception>
    public static TrainConfig Parse(string json, string source = "config")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return FromJson(document.RootElement, source);
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Parses and validates; <paramref name="source"/> names the text in error messages (e.g. the file path).</summary>
    /// <exception cref="ConfigException">As <see cref="Parse"/>, or a value out of its range (all listed, each by key).</exception>
    public static TrainConfig Deserialize(string json, string source = "config")
    {
        var config = Parse(json, source);
        var problems = config.Problems();
        return problems.Count == 0 ? config : throw new ConfigException(problems.Select(p => $"{source}: {p}").ToList());
    }

    /// <summary>Reads a config file without validating it (flags may still change it).</summary>
    /// <exception cref="ConfigException">The file cannot be read or parsed.</exception>
    public static TrainConfig Read(string path) => Parse(ReadText(path), path);

    /// <summary>Reads and validates a config file.</summary>
    /// <exception cref="ConfigException">The file cannot be read, parsed or validated.</exception>
    public static TrainConfig Load(string path) => Deserialize(ReadText(path), path);

    /// <summary>Writes the config atomically (temporary file, then a move over <paramref name="path"/>).</summary>
    public static void Save(string path, TrainConfig config) => AtomicFile.WriteAllText(path, Serialize(config) + "\n");

    /// <summary>The config a JSON object describes: declared fields set, the others left at their defaults.</summary>
    /// <exception cref="ConfigException">Every unknown field and every value of the wrong kind, each prefixed by <paramref name="source"/>.</exception>
    public static TrainConfig FromJson(JsonElement root, string source = "config")
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ConfigException($"{source}: expected a JSON object with the config fields, got {root.GetRawText()}.");
        var config = new TrainConfig();
        var problems = new List<string>();
        ReadObject(root, "", ref config, problems);
        return problems.Count == 0 ? config : throw new ConfigException(problems.Select(p => $"{source}: {p}").ToList());
    }

    private static void ReadObject(JsonElement json, string prefix, ref TrainConfig config, List<string> problems)
    {
        foreach (var property in json.EnumerateObject())
        {
            string key = prefix + property.Name;
            if (TrainConfigFields.Find(key) is { } field)
            {
                try
                {
                    config = field.Read(config, property.Value, key);
                }
                catch (ConfigException e)
                {
                    problems.Add(e.Message);
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Object && TrainConfigFields.All.Any(f => f.Key.StartsWith(key + ".", StringComparison.Ordinal)))
            {
                ReadObject(property.Value, key + ".", ref config, problems);
            }
            else
            {
                problems.Add($"unknown field '{key}' (docs/PRESETS.md lists the fields).");
            }
        }
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"Cannot read config file '{path}': {e.Message}", e);
        }
    }

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
        options.Converters.Add(new Converter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Routes <see cref="JsonSerializer"/> through the declarations for a <see cref="TrainConfig"/>.</summary>
    private sealed class Converter : JsonConverter<TrainConfig>
    {
        public override TrainConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            try
            {
                return FromJson(document.RootElement);
            }
            catch (ConfigException e)
            {
                throw new JsonException(e.Message, e);
            }
        }

        public override void Write(Utf8JsonWriter writer, TrainConfig value, JsonSerializerOptions options) =>
            TrainConfigJson.Write(writer, value);
    }
}
