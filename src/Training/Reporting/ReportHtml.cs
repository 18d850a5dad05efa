using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using Training.Config;
using TinyTorch.IO;

namespace Training.Reporting;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG, no script, no external file) with the run's title, its
/// summary and final evaluation, the learning curve (<see cref="CurveSvg"/>), the episode animation the caller passes
/// in, and every config field under its config.json name.
/// </summary>
internal static class ReportHtml
{
    private const string Style = """
        body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1000px; color: #222; }
        h1 { font-size: 22px; margin-bottom: 4px; }
        h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        table { border-collapse: collapse; font-size: 13px; }
        td, th { padding: 3px 12px 3px 0; text-align: left; vertical-align: top; }
        th { font-weight: normal; color: #555; }
        td.num { font-variant-numeric: tabular-nums; }
        .verdict { font-size: 15px; font-weight: bold; }
        .solved { color: #1e7b34; }
        .unsolved { color: #b03a2e; }
        .muted, .muted th { color: #aaa; }
        .figure svg { max-width: 100%; height: auto; }
        .maps { display: flex; flex-wrap: wrap; gap: 8px; }
        .maps svg { max-width: 100%; height: auto; }
        """;

    public static string Render(RunReport report, CurveOptions? curve = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var config = report.Config;
        // The step axis spans the steps taken, also for a stopped run (its budget would squeeze the curve to the left).
        var curveOptions = curve ?? new CurveOptions { SolveThreshold = config.SolveThreshold };
        var html = new StringBuilder(16_384);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>").Append(Escape(report.Title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Escape(report.Title)).Append("</h1>\n");

        AppendSummary(html, report);
        html.Append("<h2>Learning curve</h2>\n<div class=\"figure\">\n").Append(CurveSvg.Render(report.Metrics, curveOptions)).Append("</div>\n");
        html.Append("<h2>Episode</h2>\n<div class=\"figure\">\n")
            .Append(report.AnimationSvg ?? "<p class=\"muted\">No episode was recorded for this run.</p>\n")
            .Append("</div>\n");
        if (report.Policy is { } policy)
            AppendPolicy(html, policy);
        AppendConfig(html, config);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders and writes the page atomically (temporary file in the same folder, then a move over the target).</summary>
    public static void Write(string path, RunReport report, CurveOptions? curve = null) =>
        AtomicFile.WriteAllText(path, Render(report, curve));

    private static void AppendSummary(StringBuilder html, RunReport report)
    {
        var config = report.Config;
        var summary = report.Summary;
        var rows = new List<(string Key, string Value)>();
        EvaluationRecord? lastEval = null;
        foreach (var v in report.Metrics.Evaluations)
            lastEval = v;

        if (summary is not null)
        {
            var final = summary.FinalEvaluation;
            bool solved = final.Mean >= config.SolveThreshold;
            html.Append("<p class=\"verdict ").Append(solved ? "solved\">Solved" : "unsolved\">Not solved")
                .Append(CultureInfo.InvariantCulture, $": final greedy evaluation {Number(final.Mean)} ± {Number(final.Std)} over {final.Episodes} episodes ")
                .Append(CultureInfo.InvariantCulture, $"(threshold {Number(config.SolveThreshold)}).</p>\n");
            rows.Add(("final evaluation mean ± std", $"{Number(final.Mean)} ± {Number(final.Std)}"));
            rows.Add(("final evaluation min / max", $"{Number(final.Min)} / {Number(final.Max)}"));
            rows.Add(("final evaluation episodes", final.Episodes.ToString(CultureInfo.InvariantCulture)));
            rows.Add(("solved at (confirmed evaluation)", summary.SolvedAtStep is { } at ? $"step {Count(at)}" : "never"));
            rows.Add(("environment steps", Count(summary.Steps)));
            rows.Add(("episodes", Count(summary.Episodes)));
            rows.Add(("updates", Count(summary.Updates)));
            rows.Add(("wall time", $"{summary.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"));
        }
        else
        {
            html.Append("<p class=\"verdict muted\">Training has not finished.</p>\n");
            if (lastEval is { } v)
                rows.Add(("last evaluation", $"{Number(v.Mean)} ± {Number(v.Std)} at step {Count(v.Step)}"));
            rows.Add(("episodes so far", Count(report.Metrics.Episodes.Count)));
        }
        rows.Add(("algorithm", AlgorithmNames.Title(config.Algorithm)));
        rows.Add(("seed", config.Seed.ToString(CultureInfo.InvariantCulture)));
        foreach (var (key, value) in report.Facts)
            rows.Add((key, value));

        html.Append("<table class=\"summary\">\n");
        foreach (var (key, value) in rows)
            html.Append("<tr><th>").Append(Escape(key)).Append("</th><td class=\"num\">").Append(Escape(value)).Append("</td></tr>\n");
        html.Append("</table>\n");
    }

    /// <summary>The scores along the episode (under its animation), then the policy and value maps side by side.</summary>
    private static void AppendPolicy(StringBuilder html, PolicyView policy)
    {
        html.Append("<div class=\"figure\">\n").Append(PolicyMapSvg.EpisodeScores(policy)).Append("</div>\n")
            .Append("<h2>What the network learned</h2>\n")
            .Append("<p>The pole's plane with the cart at rest in the centre (x = ẋ = 0): angle across, angular velocity up. ")
            .Append("The black path is the recorded episode's (θ, θ̇), whatever its x and ẋ were.</p>\n")
            .Append("<div class=\"maps\">\n").Append(PolicyMapSvg.PolicyMap(policy)).Append(PolicyMapSvg.ValueMap(policy)).Append("</div>\n");
    }

    private static void AppendConfig(StringBuilder html, TrainConfig config)
    {
        html.Append("<h2>Configuration</h2>\n<table class=\"config\">\n");
        var root = JsonSerializer.SerializeToElement(config, TrainConfigJson.Options);
        AppendFields(html, root, prefix: "", config.Algorithm);
        html.Append("</table>\n<p class=\"muted\">Grey rows are not used by this algorithm; config.json keeps them so the file is complete.</p>\n");
    }

    /// <summary>One row per field; nested objects become dotted names (tabular.bins), arrays stay on one line.</summary>
    private static void AppendFields(StringBuilder html, JsonElement element, string prefix, Algorithm algorithm)
    {
        foreach (var property in element.EnumerateObject())
        {
            string name = prefix + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                AppendFields(html, property.Value, name + ".", algorithm);
                continue;
            }
            string value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString() ?? "",
                JsonValueKind.Null => "none",
                JsonValueKind.Array => "[" + string.Join(", ", property.Value.EnumerateArray().Select(item => item.GetRawText())) + "]",
                _ => property.Value.GetRawText(),
            };
            bool unused = TrainConfigFields.Find(name) is { } field && !field.IsUsedBy(algorithm);
            html.Append(unused ? "<tr class=\"muted\"><th>" : "<tr><th>").Append(Escape(name))
                .Append("</th><td class=\"num\">").Append(Escape(value)).Append("</td></tr>\n");
        }
    }

    private static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}
