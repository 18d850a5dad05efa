using System.Text.Json.Nodes;
using TinyTorch.IO;

namespace Training.Reporting;

/// <summary>
/// A sweep: the same config trained on several seeds, summarised the way RL papers report it. Only finished runs are
/// counted (a stopped run is listed, not judged). A seed counts as solved when its run reported itself solved; the
/// medians (of environment steps to solve, of wall seconds and of seconds to the solving evaluation) count every
/// unsolved seed as +∞, so a median is finite only when more than half of the finished seeds solved. Built from run folders (<see cref="SweepSeed.Read"/>), so the sweep
/// command and <c>sweep --collect</c> of folders trained elsewhere give the same files: sweep.json
/// (<see cref="ToJson"/>) and sweep.html (<see cref="SweepHtml"/>).
/// </summary>
public sealed record SweepReport
{
    /// <summary>The sweep's JSON summary (<see cref="ToJson"/>).</summary>
    public const string JsonFile = "sweep.json";
    /// <summary>The sweep's page (<see cref="SweepHtml"/>).</summary>
    public const string HtmlFile = "sweep.html";

    /// <summary>The seeds' runs, in seed order.</summary>
    public required IReadOnlyList<SweepSeed> Seeds { get; init; }

    /// <summary>How many seeds the sweep was asked for (more than <see cref="Seeds"/> when it was stopped early).</summary>
    public required int Requested { get; init; }

    /// <summary>The preset label (the seeds' own when they agree, else "mixed").</summary>
    public string Preset => Seeds.Select(s => s.Preset).Distinct().Count() switch
    {
        0 => "none",
        1 => Seeds[0].Preset,
        _ => "mixed",
    };

    /// <summary>Seeds whose run reached its end.</summary>
    public int Finished => Seeds.Count(s => s.Finished);

    /// <summary>Finished seeds whose run reported itself solved.</summary>
    public int Solved => Seeds.Count(s => s.Solved);

    /// <summary>Median environment steps to the solving evaluation over the finished seeds (unsolved count as +∞).</summary>
    public double MedianStepsToSolve => MedianOfFinished(s => s.SolvedAtStep);

    /// <summary>Median wall time of a finished run, in seconds (unsolved count as +∞).</summary>
    public double MedianWallSeconds => MedianOfFinished(s => s.WallSeconds);

    /// <summary>Median seconds to the solving evaluation over the finished seeds (unsolved count as +∞).</summary>
    public double MedianSolveSeconds => MedianOfFinished(s => s.SolvedAtSeconds);

    private double MedianOfFinished(Func<SweepSeed, double?> value) =>
        Median(Seeds.Where(s => s.Finished).Select(s => s.Solved ? value(s) ?? double.PositiveInfinity : double.PositiveInfinity));

    /// <summary>Reads every folder (see <see cref="SweepSeed.Read"/>) and orders the seeds.</summary>
    public static SweepReport FromFolders(IEnumerable<string> folders, int? requested = null)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var seeds = folders.Select(SweepSeed.Read).OrderBy(s => s.Seed).ThenBy(s => s.Folder, StringComparer.Ordinal).ToList();
        return new SweepReport { Seeds = seeds, Requested = requested ?? seeds.Count };
    }

    /// <summary>
    /// sweep.json: <c>preset</c>, <c>requested</c> (seeds asked for), <c>started</c> (seeds with a run folder),
    /// <c>runs</c> (finished runs), <c>solved</c>, <c>solve_rate</c> (solved / runs), the three medians (null when
    /// infinite), and <c>per_seed</c>: each started run's summary.json.
    /// </summary>
    public JsonObject ToJson()
    {
        var perSeed = new JsonArray();
        foreach (var seed in Seeds)
            perSeed.Add(seed.Summary.DeepClone());
        return new JsonObject
        {
            ["preset"] = Preset,
            ["requested"] = Requested,
            ["started"] = Seeds.Count,
            ["runs"] = Finished,
            ["solved"] = Solved,
            ["solve_rate"] = Finished == 0 ? 0 : (double)Solved / Finished,
            ["median_steps_to_solve"] = Finite(MedianStepsToSolve),
            ["median_wall_seconds"] = Finite(MedianWallSeconds),
            ["median_solve_seconds"] = Finite(MedianSolveSeconds),
            ["per_seed"] = perSeed,
        };
    }

    /// <summary>Writes sweep.json and sweep.html into <paramref name="folder"/> (atomically); returns their paths.</summary>
    public (string Json, string Html) Write(string folder)
    {
        Directory.CreateDirectory(folder);
        string json = Path.Combine(folder, JsonFile);
        string html = Path.Combine(folder, HtmlFile);
        AtomicFile.WriteAllText(json, ToJson().ToJsonString() + "\n");
        AtomicFile.WriteAllText(html, SweepHtml.Render(this, folder));
        return (json, html);
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count); NaN for none.</summary>
    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    /// <summary>
    /// The <paramref name="q"/>-quantile with linear interpolation between order statistics (numpy's default):
    /// position (n − 1)·q in the sorted values. NaN for no values; +∞ values sort last.
    /// </summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.ToList();
        if (sorted.Count == 0)
            return double.NaN;
        sorted.Sort();
        double position = (sorted.Count - 1) * q;
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        double fraction = position - below;
        if (fraction == 0 || sorted[below] == sorted[above])
            return sorted[below];
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
