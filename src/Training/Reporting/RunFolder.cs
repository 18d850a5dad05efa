using Training.Config;
using TinyTorch.IO;

namespace Training.Reporting;

/// <summary>
/// The files of a run folder and the one call that writes them all: config.json (the exact config, reloadable with
/// <see cref="TrainConfigJson.Load"/>), metrics.csv, curve.svg and report.html. Each file is written atomically, so a
/// run can call <see cref="Write"/> at every checkpoint and a reader never sees half a file.
/// </summary>
public static class RunFolder
{
    /// <summary>The run's full config (<see cref="TrainConfigJson"/>).</summary>
    public const string ConfigFile = "config.json";
    /// <summary>Every episode and evaluation (<see cref="MetricsLog"/>).</summary>
    public const string MetricsFile = "metrics.csv";
    /// <summary>The learning curve.</summary>
    public const string CurveFile = "curve.svg";
    /// <summary>The one-page report.</summary>
    public const string ReportFile = "report.html";

    /// <summary>Writes config.json, metrics.csv, curve.svg and report.html of <paramref name="report"/> into <paramref name="folder"/> (created if needed), each atomically.</summary>
    public static void Write(string folder, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(folder);
        TrainConfigJson.Save(Path.Combine(folder, ConfigFile), report.Config);
        report.Metrics.WriteCsv(Path.Combine(folder, MetricsFile));
        var curve = new CurveOptions
        {
            Title = report.Title,
            SolveThreshold = report.Config.SolveThreshold,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, CurveFile), CurveSvg.Render(report.Metrics, curve));
        ReportHtml.Write(Path.Combine(folder, ReportFile), report);
    }
}
