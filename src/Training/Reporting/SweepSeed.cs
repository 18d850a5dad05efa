using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Training.Config;

namespace Training.Reporting;

/// <summary>
/// One seed of a sweep as its run folder tells it: the run's summary.json (kept whole, for sweep.json) and the
/// periodic evaluations of its metrics.csv (the learning curve), and the solve threshold of its config.json.
/// </summary>
public sealed record SweepSeed
{
    /// <summary>The run folder's summary file.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The seed's run folder.</summary>
    public required string Folder { get; init; }

    /// <summary>summary.json as written by the run (RunResult.ToJson).</summary>
    public required JsonObject Summary { get; init; }

    /// <summary>The run's solve_threshold (from its config.json; the default when the folder has none).</summary>
    public double SolveThreshold { get; init; } = new TrainConfig().SolveThreshold;

    /// <summary>The periodic evaluations (not the final one), in step order.</summary>
    public required IReadOnlyList<EvaluationRecord> Evaluations { get; init; }

    /// <summary>The run's seed (0 when the summary has none).</summary>
    public ulong Seed => Summary["seed"] is JsonValue v && ulong.TryParse(v.ToJsonString(), CultureInfo.InvariantCulture, out ulong seed) ? seed : 0;

    /// <summary>True when the run reached its end (an interrupted run has no final evaluation).</summary>
    public bool Finished => Summary["finished"]?.GetValueKind() == JsonValueKind.True;

    /// <summary>True when the run reported itself solved.</summary>
    public bool Solved => Finished && Summary["solved"]?.GetValueKind() == JsonValueKind.True && SolvedAtStep is not null;

    /// <summary>Environment steps at the solving evaluation; null when unsolved.</summary>
    public long? SolvedAtStep => (long?)Number("solved_at_step");

    /// <summary>Seconds from the start to the solving evaluation; null when unsolved.</summary>
    public double? SolvedAtSeconds => Number("solved_at_seconds");

    /// <summary>Wall time of the run, in seconds.</summary>
    public double WallSeconds => Number("wall_seconds") ?? 0;

    /// <summary>Environment steps taken.</summary>
    public long EnvSteps => (long)(Number("env_steps") ?? 0);

    /// <summary>Mean return of the final evaluation; null when the run did not finish.</summary>
    public double? FinalMean => Number("eval_mean_return");

    /// <summary>Standard deviation of the final evaluation's returns; null when the run did not finish.</summary>
    public double? FinalStd => Number("eval_std_return");

    /// <summary>The held-out evaluation's mean when the run reports one (<c>heldout_mean_return</c>).</summary>
    public double? HeldOutMean => Number("heldout_mean_return");

    /// <summary>The preset the run started from ("custom" when the summary has none).</summary>
    public string Preset => Summary["preset"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "custom";

    /// <summary>A number of the summary (null when absent or null), however the node holds it.</summary>
    private double? Number(string key) =>
        Summary[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// Reads <paramref name="folder"/>'s summary.json and metrics.csv. Throws <see cref="InvalidDataException"/> naming
    /// the folder when either is missing or unreadable.
    /// </summary>
    public static SweepSeed Read(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string summaryPath = Path.Combine(folder, SummaryFile);
        string metricsPath = Path.Combine(folder, RunFolder.MetricsFile);
        if (!Directory.Exists(folder))
            throw new InvalidDataException($"run folder '{folder}' does not exist.");
        if (!File.Exists(summaryPath))
            throw new InvalidDataException($"'{folder}' has no {SummaryFile} (not a run folder, or a run that has not stopped yet).");
        JsonObject summary;
        try
        {
            summary = JsonNode.Parse(File.ReadAllText(summaryPath)) as JsonObject
                ?? throw new InvalidDataException($"{summaryPath}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{summaryPath}: {e.Message}", e);
        }
        var evaluations = new List<EvaluationRecord>();
        if (File.Exists(metricsPath))
        {
            foreach (var evaluation in MetricsLog.ReadCsv(metricsPath).Evaluations)
            {
                if (!evaluation.Final)
                    evaluations.Add(evaluation);
            }
        }
        evaluations.Sort((a, b) => a.Step.CompareTo(b.Step));
        string configPath = Path.Combine(folder, RunFolder.ConfigFile);
        double threshold = File.Exists(configPath) ? TrainConfigJson.Load(configPath).SolveThreshold : new TrainConfig().SolveThreshold;
        return new SweepSeed { Folder = folder, Summary = summary, Evaluations = evaluations, SolveThreshold = threshold };
    }
}
