using System.Globalization;
using System.Security;
using System.Text;
using Training.Config;

namespace Training.Reporting;

/// <summary>
/// sweep.html: one self-contained page (inline CSS and SVG, no script, no external file) for a <see cref="SweepReport"/>:
/// the solve rate and medians; every seed's learning curve (periodic evaluation means against environment steps) with
/// the median over seeds and the inter-quartile band; the distribution of environment steps and of seconds to solve
/// (one dot per solved seed, the median as a line); and the table of seeds, each linking to its run's report.html.
/// </summary>
public static class SweepHtml
{
    private const double Width = 900, Left = 64, Right = 24;
    private const string SeedColor = "#9ec5e8", MedianColor = "#1f5fa8", BandColor = "#1f5fa8", ThresholdColor = "#c0392b",
        DotColor = "#e07b00", GridColor = "#e6e6e6", AxisColor = "#444";

    private const string Style = """
        body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 960px; color: #222; }
        h1 { font-size: 22px; margin-bottom: 4px; }
        h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        table { border-collapse: collapse; font-size: 13px; }
        td, th { padding: 3px 14px 3px 0; text-align: left; }
        th { font-weight: normal; color: #555; border-bottom: 1px solid #ddd; }
        td.num { font-variant-numeric: tabular-nums; text-align: right; }
        .solved { color: #1e7b34; }
        .unsolved { color: #b03a2e; }
        .muted { color: #888; }
        .figure svg { max-width: 100%; height: auto; }
        """;

    /// <summary>The page; links to each seed's report.html are relative to <paramref name="folder"/>, where the page is written.</summary>
    public static string Render(SweepReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        var seeds = report.Seeds;
        double threshold = seeds.Count > 0 ? seeds[0].SolveThreshold : new TrainConfig().SolveThreshold;
        string title = $"Sweep: preset {report.Preset}, {seeds.Count} seed{(seeds.Count == 1 ? "" : "s")}";
        var html = new StringBuilder(32_768);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Escape(title))
            .Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<h1>").Append(Escape(title)).Append("</h1>\n");

        html.Append("<p><b>").Append(inv, $"solved {report.Solved}/{report.Finished} finished").Append("</b>");
        if (report.Requested > seeds.Count || report.Finished < seeds.Count)
            html.Append(inv, $" (stopped: {report.Finished} of {report.Requested} seeds finished)");
        html.Append(inv, $" · median env steps to solve {Show(report.MedianStepsToSolve, "N0")} · median wall time {Show(report.MedianWallSeconds, "0.00")} s")
            .Append(inv, $" · median seconds to the solving evaluation {Show(report.MedianSolveSeconds, "0.00")}</p>\n")
            .Append("<p class=\"muted\">Medians count unsolved seeds as infinitely slow, so they are finite only when more than half of the seeds solved.</p>\n");

        html.Append("<h2>Learning curves</h2>\n<div class=\"figure\">\n").Append(Curves(seeds, threshold)).Append("</div>\n")
            .Append("<p class=\"muted\">Thin lines: each seed's periodic greedy evaluation. Bold: the median over seeds, band: 25th to 75th percentile. ")
            .Append("A seed that stopped early (solved) keeps its last evaluation; an interrupted one counts up to its last.</p>\n");

        html.Append("<h2>Steps and seconds to solve</h2>\n<div class=\"figure\">\n")
            .Append(Distribution("environment steps to solve", [.. seeds.Where(s => s.Solved).Select(s => (s.Seed, (double)s.SolvedAtStep!.Value))], report.Finished, steps: true))
            .Append(Distribution("seconds to the solving evaluation", [.. seeds.Where(s => s.Solved && s.SolvedAtSeconds is not null).Select(s => (s.Seed, s.SolvedAtSeconds!.Value))], report.Finished, steps: false))
            .Append("</div>\n");

        html.Append("<h2>Seeds</h2>\n");
        AppendTable(html, seeds, folder);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendTable(StringBuilder html, IReadOnlyList<SweepSeed> seeds, string folder)
    {
        var inv = CultureInfo.InvariantCulture;
        bool heldOut = seeds.Any(s => s.HeldOutMean is not null);
        html.Append("<table>\n<tr><th>seed</th><th>solved</th><th>solved at step</th><th>to solve (s)</th><th>final evaluation</th>")
            .Append(heldOut ? "<th>held-out mean</th>" : "").Append("<th>env steps</th><th>wall (s)</th><th>run</th></tr>\n");
        foreach (var s in seeds)
        {
            string verdict = !s.Finished ? "<span class=\"muted\">stopped</span>"
                : s.Solved ? "<span class=\"solved\">yes</span>" : "<span class=\"unsolved\">no</span>";
            string report = Path.GetRelativePath(Path.GetFullPath(folder), Path.GetFullPath(Path.Combine(s.Folder, RunFolder.ReportFile)))
                .Replace('\\', '/');
            html.Append(inv, $"<tr><td class=\"num\">{s.Seed}</td><td>{verdict}</td>")
                .Append(inv, $"<td class=\"num\">{(s.SolvedAtStep is { } at ? at.ToString("N0", inv) : "–")}</td>")
                .Append(inv, $"<td class=\"num\">{(s.SolvedAtSeconds is { } t ? t.ToString("0.00", inv) : "–")}</td>")
                .Append(inv, $"<td class=\"num\">{(s.FinalMean is { } m ? $"{m.ToString("0.0", inv)} ± {(s.FinalStd ?? 0).ToString("0.0", inv)}" : "–")}</td>")
                .Append(heldOut ? $"<td class=\"num\">{(s.HeldOutMean is { } h ? h.ToString("0.0", inv) : "–")}</td>" : "")
                .Append(inv, $"<td class=\"num\">{s.EnvSteps:N0}</td><td class=\"num\">{s.WallSeconds:0.00}</td>")
                .Append("<td><a href=\"").Append(Escape(Uri.EscapeDataString(report).Replace("%2F", "/", StringComparison.Ordinal)))
                .Append("\">").Append(Escape(s.Folder)).Append("</a></td></tr>\n");
        }
        html.Append("</table>\n");
    }

    /// <summary>
    /// The median and the 25th and 75th percentiles of the seeds' evaluation means at every step where any seed was
    /// evaluated: over the seeds that have an evaluation at or before that step, each contributing its latest one. A
    /// finished run that stopped early (solved) keeps its last value to the end; a run interrupted before its end
    /// counts only up to its last evaluation.
    /// </summary>
    public static List<(long Step, double Low, double Median, double High)> Bands(IReadOnlyList<SweepSeed> seeds)
    {
        var bands = new List<(long Step, double Low, double Median, double High)>();
        var steps = seeds.SelectMany(s => s.Evaluations.Select(e => e.Step)).Distinct().Order();
        foreach (long step in steps)
        {
            var latest = new List<double>();
            foreach (var seed in seeds)
            {
                if (!seed.Finished && (seed.Evaluations.Count == 0 || step > seed.Evaluations[^1].Step))
                    continue;
                double? value = null;
                foreach (var e in seed.Evaluations)
                {
                    if (e.Step > step)
                        break;
                    value = e.Mean;
                }
                if (value is { } v)
                    latest.Add(v);
            }
            if (latest.Count > 0)
                bands.Add((step, SweepReport.Quantile(latest, 0.25), SweepReport.Median(latest), SweepReport.Quantile(latest, 0.75)));
        }
        return bands;
    }

    /// <summary>The curves figure: each seed's evaluations, the median and the inter-quartile band (<see cref="Bands"/>), the threshold.</summary>
    internal static string Curves(IReadOnlyList<SweepSeed> seeds, double threshold)
    {
        const double height = 380, top = 20, bottom = 46;
        var inv = CultureInfo.InvariantCulture;
        var steps = seeds.SelectMany(s => s.Evaluations.Select(e => e.Step)).Distinct().Order().ToList();
        double xMax = RoundUp(Math.Max(steps.Count > 0 ? steps[^1] : 1, 1));
        double yMax = Math.Max(threshold, seeds.SelectMany(s => s.Evaluations).Select(e => e.Mean).DefaultIfEmpty(0).Max()) * 1.06;
        var axes = new Axes(Left, top, Width - Left - Right, height - top - bottom, xMax, yMax);
        var svg = Open(height);
        axes.Draw(svg, "environment steps", "evaluation return", steps: true);

        var bands = Bands(seeds);
        var median = bands.Select(b => ((double)b.Step, b.Median)).ToList();
        var low = bands.Select(b => ((double)b.Step, b.Low)).ToList();
        var high = bands.Select(b => ((double)b.Step, b.High)).ToList();
        if (median.Count > 0)
        {
            svg.Append("<polygon fill=\"").Append(BandColor).Append("\" fill-opacity=\"0.18\" stroke=\"none\" points=\"")
                .Append(axes.Points([.. high, .. Enumerable.Reverse(low)])).Append("\"/>\n");
        }
        foreach (var seed in seeds)
        {
            svg.Append("<polyline fill=\"none\" stroke=\"").Append(SeedColor).Append("\" stroke-width=\"1.2\" points=\"")
                .Append(axes.Points([.. seed.Evaluations.Select(e => ((double)e.Step, e.Mean))])).Append("\"><title>")
                .Append(inv, $"seed {seed.Seed}").Append("</title></polyline>\n");
        }
        if (median.Count > 0)
        {
            svg.Append("<polyline fill=\"none\" stroke=\"").Append(MedianColor).Append("\" stroke-width=\"2.5\" points=\"")
                .Append(axes.Points(median)).Append("\"/>\n");
        }
        double ty = axes.Y(threshold);
        svg.Append(inv, $"<line x1=\"{F(axes.Left)}\" y1=\"{F(ty)}\" x2=\"{F(axes.Left + axes.Width)}\" y2=\"{F(ty)}\" stroke=\"{ThresholdColor}\" stroke-dasharray=\"6 4\"/>\n")
            .Append(inv, $"<text x=\"{F(axes.Left + 6)}\" y=\"{F(ty + 14)}\" fill=\"{ThresholdColor}\">solved ({threshold:0.##})</text>\n");
        Legend(svg, axes.Left + axes.Width - 330, top + 8);
        return svg.Append("</svg>\n").ToString();
    }

    private static void Legend(StringBuilder svg, double x, double y)
    {
        var inv = CultureInfo.InvariantCulture;
        svg.Append(inv, $"<rect x=\"{F(x - 6)}\" y=\"{F(y - 4)}\" width=\"330\" height=\"24\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>\n")
            .Append(inv, $"<line x1=\"{F(x)}\" y1=\"{F(y + 8)}\" x2=\"{F(x + 22)}\" y2=\"{F(y + 8)}\" stroke=\"{SeedColor}\" stroke-width=\"1.5\"/>")
            .Append(inv, $"<text x=\"{F(x + 26)}\" y=\"{F(y + 12)}\">a seed</text>\n")
            .Append(inv, $"<line x1=\"{F(x + 80)}\" y1=\"{F(y + 8)}\" x2=\"{F(x + 102)}\" y2=\"{F(y + 8)}\" stroke=\"{MedianColor}\" stroke-width=\"2.5\"/>")
            .Append(inv, $"<text x=\"{F(x + 106)}\" y=\"{F(y + 12)}\">median</text>\n")
            .Append(inv, $"<rect x=\"{F(x + 164)}\" y=\"{F(y + 2)}\" width=\"22\" height=\"12\" fill=\"{BandColor}\" fill-opacity=\"0.18\"/>")
            .Append(inv, $"<text x=\"{F(x + 190)}\" y=\"{F(y + 12)}\">25th–75th percentile</text>\n");
    }

    /// <summary>One dot per solved seed along an axis from 0, the median of the finished seeds (unsolved as +∞) as a line when finite.</summary>
    internal static string Distribution(string label, IReadOnlyList<(ulong Seed, double Value)> solved, int finishedSeeds, bool steps)
    {
        const double height = 120, top = 26, bottom = 40;
        var inv = CultureInfo.InvariantCulture;
        double xMax = RoundUp(Math.Max(solved.Select(s => s.Value).DefaultIfEmpty(1).Max() * 1.05, steps ? 1 : 0.01));
        var axes = new Axes(Left, top, Width - Left - Right, height - top - bottom, xMax, 1);
        var svg = Open(height);
        axes.Draw(svg, steps ? "environment steps" : "seconds", null, steps);
        int unsolved = finishedSeeds - solved.Count;
        svg.Append(inv, $"<text x=\"{F(Left)}\" y=\"16\" font-weight=\"bold\">{Escape(label)}</text>")
            .Append(inv, $"<text x=\"{F(Left + 240)}\" y=\"16\" fill=\"#888\">{solved.Count} solved seed{(solved.Count == 1 ? "" : "s")}{(unsolved > 0 ? $", {unsolved} not solved (not shown)" : "")}</text>\n");
        for (int i = 0; i < solved.Count; i++)
        {
            // Dots spread over a few rows so equal values stay visible.
            double y = axes.Top + axes.Height * (0.25 + 0.5 * (i % 5) / 4);
            svg.Append(inv, $"<circle cx=\"{F(axes.X(solved[i].Value))}\" cy=\"{F(y)}\" r=\"5\" fill=\"{DotColor}\" fill-opacity=\"0.8\"><title>seed {solved[i].Seed}: {solved[i].Value:0.##}</title></circle>\n");
        }
        double median = SweepReport.Median([.. solved.Select(s => s.Value), .. Enumerable.Repeat(double.PositiveInfinity, unsolved)]);
        if (double.IsFinite(median))
        {
            double x = axes.X(median);
            svg.Append(inv, $"<line x1=\"{F(x)}\" y1=\"{F(axes.Top)}\" x2=\"{F(x)}\" y2=\"{F(axes.Top + axes.Height)}\" stroke=\"{MedianColor}\" stroke-width=\"2\"/>")
                .Append(inv, $"<text x=\"{F(x + 4)}\" y=\"{F(axes.Top + 10)}\" fill=\"{MedianColor}\">median {(steps ? median.ToString("N0", inv) : median.ToString("0.00", inv))}</text>\n");
        }
        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>The axis end rounded up to a whole number of tick steps, so the last tick closes the axis.</summary>
    private static double RoundUp(double max)
    {
        double step = CurveSvg.NiceStep(max, 8);
        return Math.Ceiling(max / step - 1e-9) * step;
    }

    private static StringBuilder Open(double height) => new StringBuilder(8192)
        .Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(Width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(Width)} {F(height)}\" ")
        .Append("font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
        .Append(CultureInfo.InvariantCulture, $"<rect width=\"{F(Width)}\" height=\"{F(height)}\" fill=\"#ffffff\"/>\n");

    /// <summary>A plot area mapping data (x in [0, xMax], y in [0, yMax]) to pixels, y up.</summary>
    private sealed record Axes(double Left, double Top, double Width, double Height, double XMax, double YMax)
    {
        public double X(double x) => Left + Width * x / XMax;

        public double Y(double y) => Top + Height * (1 - y / YMax);

        public string Points(IEnumerable<(double X, double Y)> points) =>
            string.Join(' ', points.Select(p => $"{F(X(p.X))},{F(Y(p.Y))}"));

        /// <summary>Frame, grid, ticks and labels; no y axis when <paramref name="yLabel"/> is null.</summary>
        public void Draw(StringBuilder svg, string xLabel, string? yLabel, bool steps)
        {
            var inv = CultureInfo.InvariantCulture;
            double xStep = CurveSvg.NiceStep(XMax, 8);
            for (double x = 0; x <= XMax * 1.0001; x += xStep)
            {
                double px = X(x);
                svg.Append(inv, $"<line x1=\"{F(px)}\" y1=\"{F(Top)}\" x2=\"{F(px)}\" y2=\"{F(Top + Height)}\" stroke=\"{GridColor}\"/>")
                    .Append(inv, $"<text x=\"{F(px)}\" y=\"{F(Top + Height + 16)}\" text-anchor=\"middle\" fill=\"{AxisColor}\">{(steps ? Steps(x) : x.ToString("0.##", inv))}</text>\n");
            }
            if (yLabel is not null)
            {
                double yStep = CurveSvg.NiceStep(YMax, 6);
                for (double y = 0; y <= YMax * 1.0001; y += yStep)
                {
                    double py = Y(y);
                    svg.Append(inv, $"<line x1=\"{F(Left)}\" y1=\"{F(py)}\" x2=\"{F(Left + Width)}\" y2=\"{F(py)}\" stroke=\"{GridColor}\"/>")
                        .Append(inv, $"<text x=\"{F(Left - 6)}\" y=\"{F(py + 4)}\" text-anchor=\"end\" fill=\"{AxisColor}\">{y:0.##}</text>\n");
                }
                svg.Append(inv, $"<text transform=\"translate(16 {F(Top + Height / 2)}) rotate(-90)\" text-anchor=\"middle\" fill=\"{AxisColor}\">{Escape(yLabel)}</text>\n");
            }
            svg.Append(inv, $"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(Width)}\" height=\"{F(Height)}\" fill=\"none\" stroke=\"{AxisColor}\"/>\n")
                .Append(inv, $"<text x=\"{F(Left + Width / 2)}\" y=\"{F(Top + Height + 34)}\" text-anchor=\"middle\" fill=\"{AxisColor}\">{Escape(xLabel)}</text>\n");
        }
    }

    private static string Steps(double steps) => steps switch
    {
        >= 1_000_000 => (steps / 1_000_000).ToString("0.###", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (steps / 1_000).ToString("0.###", CultureInfo.InvariantCulture) + "k",
        _ => steps.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static string Show(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}
