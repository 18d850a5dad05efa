using System.Globalization;
using System.Security;
using System.Text;

namespace Training.Reporting;

/// <summary>
/// The learning curve as a standalone SVG (no script, no external files): episode returns (thin, light) and their
/// moving average (bold) against environment steps, greedy evaluations as points with ±std error bars (the final
/// evaluation as a diamond), ε on a second axis at the right, and the solve threshold as a dashed line, with a legend
/// above the plot.
/// </summary>
internal static class CurveSvg
{
    private const double MarginLeft = 64, MarginRight = 60, MarginBottom = 50, LegendRowHeight = 18;
    private const string ReturnColor = "#9ec5e8", AverageColor = "#1f5fa8", EvalColor = "#e07b00",
        EpsilonColor = "#2e9a4a", ThresholdColor = "#c0392b", GridColor = "#e6e6e6", AxisColor = "#444";

    public static string Render(MetricsLog log, CurveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var o = options ?? new CurveOptions();
        if (o.Width < 320 || o.Height < 240)
            throw new ArgumentOutOfRangeException(nameof(options), $"The curve needs at least 320×240 pixels, got {o.Width}×{o.Height}.");
        if (o.MovingAverageWindow < 1)
            throw new ArgumentOutOfRangeException(nameof(options), o.MovingAverageWindow, "The moving-average window must be at least 1.");

        var episodes = log.Episodes;
        var evaluations = log.Evaluations;
        long lastStep = 0;
        double maxReturn = o.SolveThreshold ?? 0;
        foreach (var e in episodes)
        {
            lastStep = Math.Max(lastStep, e.Step);
            maxReturn = Math.Max(maxReturn, e.Return);
        }
        foreach (var v in evaluations)
        {
            lastStep = Math.Max(lastStep, v.Step);
            maxReturn = Math.Max(maxReturn, ErrorBar(v).High);
        }
        double xMax = Math.Max(o.MaxStep ?? lastStep, 1);
        double xStep = NiceStep(xMax, 8);
        xMax = Math.Ceiling(xMax / xStep) * xStep;
        // A little headroom above the best return, so a curve at 500 does not run along the frame.
        double yMax = maxReturn > 0 ? maxReturn * 1.06 : 1;
        double yStep = NiceStep(yMax, 6);

        double plotWidth = o.Width - MarginLeft - MarginRight;
        var legend = LegendItems(o);
        var rows = LegendRows(legend, plotWidth);
        double top = (o.Title is null ? 14 : 40) + LegendRowHeight * rows.Count + 6;
        var plot = new Plot(MarginLeft, top, plotWidth, o.Height - top - MarginBottom, xMax, yMax);
        var svg = new StringBuilder(4096 + 24 * episodes.Count);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{o.Width}\" height=\"{o.Height}\" viewBox=\"0 0 {o.Width} {o.Height}\" ")
            .Append("font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
            .Append(CultureInfo.InvariantCulture, $"<rect width=\"{o.Width}\" height=\"{o.Height}\" fill=\"#ffffff\"/>\n");
        if (o.Title is { } title)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{MarginLeft}\" y=\"22\" font-size=\"16\" font-weight=\"bold\" fill=\"#222\">{Escape(title)}</text>\n");

        DrawGridAndAxes(svg, plot, xStep, yStep);
        svg.Append(CultureInfo.InvariantCulture, $"<clipPath id=\"plot-area\"><rect x=\"{F(plot.Left)}\" y=\"{F(plot.Top)}\" width=\"{F(plot.Width)}\" height=\"{F(plot.Height)}\"/></clipPath>\n");
        svg.Append("<g clip-path=\"url(#plot-area)\">\n");
        if (o.SolveThreshold is { } threshold)
        {
            double y = plot.Y(threshold);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"threshold\" x1=\"{F(plot.Left)}\" y1=\"{F(y)}\" x2=\"{F(plot.Right)}\" y2=\"{F(y)}\" stroke=\"{ThresholdColor}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n");
        }
        if (episodes.Count > 0)
        {
            DrawEpsilon(svg, plot, episodes);
            DrawReturns(svg, plot, episodes, o.MovingAverageWindow);
        }
        svg.Append("</g>\n");
        DrawEvaluations(svg, plot, evaluations);
        if (o.SolveThreshold is { } solved)
        {
            // Drawn last, at the right end above its line, on a white halo: ε starts at the top left and ends low, so it
            // never crosses the label there, and the halo keeps it legible over returns near 500.
            svg.Append(CultureInfo.InvariantCulture,
                $"<text class=\"threshold-label\" x=\"{F(plot.Right - 6)}\" y=\"{F(plot.Y(solved) - 5)}\" text-anchor=\"end\" fill=\"{ThresholdColor}\" stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\">solved ({Number(solved)})</text>\n");
        }
        if (episodes.Count == 0 && evaluations.Count == 0)
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{F(plot.Left + plot.Width / 2)}\" y=\"{F(plot.Top + plot.Height / 2)}\" text-anchor=\"middle\" fill=\"#888\" font-size=\"14\">no episodes yet</text>\n");
        DrawLegend(svg, legend, rows, plot);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void DrawGridAndAxes(StringBuilder svg, Plot plot, double xStep, double yStep)
    {
        for (int i = 0; i * yStep <= plot.YMax; i++)
        {
            double y = i * yStep, py = plot.Y(y);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{F(plot.Left)}\" y1=\"{F(py)}\" x2=\"{F(plot.Right)}\" y2=\"{F(py)}\" stroke=\"{GridColor}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{F(plot.Left - 8)}\" y=\"{F(py + 4)}\" text-anchor=\"end\" fill=\"{AxisColor}\">{Number(y)}</text>\n");
        }
        for (int i = 0; i * xStep <= plot.XMax + xStep / 2; i++)
        {
            double x = i * xStep, px = plot.X(x);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{F(px)}\" y1=\"{F(plot.Bottom)}\" x2=\"{F(px)}\" y2=\"{F(plot.Bottom + 5)}\" stroke=\"{AxisColor}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{F(px)}\" y=\"{F(plot.Bottom + 19)}\" text-anchor=\"middle\" fill=\"{AxisColor}\">{Steps(x)}</text>\n");
        }
        for (int i = 0; i <= 4; i++)
        {
            double e = i / 4.0;
            double py = plot.Top + plot.Height * (1 - e);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{F(plot.Right)}\" y1=\"{F(py)}\" x2=\"{F(plot.Right + 5)}\" y2=\"{F(py)}\" stroke=\"{EpsilonColor}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{F(plot.Right + 8)}\" y=\"{F(py + 4)}\" fill=\"{EpsilonColor}\">{Number(e)}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{F(plot.Left)}\" y=\"{F(plot.Top)}\" width=\"{F(plot.Width)}\" height=\"{F(plot.Height)}\" fill=\"none\" stroke=\"{AxisColor}\"/>\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{F(plot.Left + plot.Width / 2)}\" y=\"{F(plot.Bottom + 40)}\" text-anchor=\"middle\" fill=\"{AxisColor}\">environment steps</text>\n");
        double midY = plot.Top + plot.Height / 2;
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"16\" y=\"{F(midY)}\" text-anchor=\"middle\" fill=\"{AxisColor}\" transform=\"rotate(-90 16 {F(midY)})\">episode return</text>\n");
        double epsX = plot.Right + 46;
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{F(epsX)}\" y=\"{F(midY)}\" text-anchor=\"middle\" fill=\"{EpsilonColor}\" transform=\"rotate(90 {F(epsX)} {F(midY)})\">exploration ε</text>\n");
    }

    private static void DrawReturns(StringBuilder svg, Plot plot, IReadOnlyList<EpisodeRecord> episodes, int window)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"returns\" fill=\"none\" stroke=\"{ReturnColor}\" stroke-width=\"1\" points=\"");
        foreach (var e in episodes)
            svg.Append(F(plot.X(e.Step))).Append(',').Append(F(plot.Y(e.Return))).Append(' ');
        svg.Append("\"/>\n");

        var average = new MovingAverage(window);
        svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"moving-average\" fill=\"none\" stroke=\"{AverageColor}\" stroke-width=\"2.2\" stroke-linejoin=\"round\" points=\"");
        foreach (var e in episodes)
        {
            average.Add(e.Return);
            svg.Append(F(plot.X(e.Step))).Append(',').Append(F(plot.Y(average.Value))).Append(' ');
        }
        svg.Append("\"/>\n");
    }

    private static void DrawEpsilon(StringBuilder svg, Plot plot, IReadOnlyList<EpisodeRecord> episodes)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"epsilon\" fill=\"none\" stroke=\"{EpsilonColor}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" points=\"");
        foreach (var e in episodes)
        {
            double py = plot.Top + plot.Height * (1 - Math.Clamp(e.Epsilon, 0, 1));
            svg.Append(F(plot.X(e.Step))).Append(',').Append(F(py)).Append(' ');
        }
        svg.Append("\"/>\n");
    }

    private static void DrawEvaluations(StringBuilder svg, Plot plot, IReadOnlyList<EvaluationRecord> evaluations)
    {
        foreach (var v in evaluations)
        {
            double x = plot.X(v.Step), y = plot.Y(v.Mean);
            var (low, high) = ErrorBar(v);
            double yLow = plot.Y(low), yHigh = plot.Y(high);
            svg.Append(CultureInfo.InvariantCulture,
                $"<g class=\"{(v.Final ? "final-eval" : "eval")}\"><title>{(v.Final ? "final evaluation" : "evaluation")} at step {v.Step}: {Number(v.Mean)} ± {Number(v.Std)} over {v.Episodes} episodes</title>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{F(x)}\" y1=\"{F(yLow)}\" x2=\"{F(x)}\" y2=\"{F(yHigh)}\" stroke=\"{EvalColor}\" stroke-width=\"1.5\"/>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{F(x - 4)}\" y1=\"{F(yLow)}\" x2=\"{F(x + 4)}\" y2=\"{F(yLow)}\" stroke=\"{EvalColor}\" stroke-width=\"1.5\"/>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{F(x - 4)}\" y1=\"{F(yHigh)}\" x2=\"{F(x + 4)}\" y2=\"{F(yHigh)}\" stroke=\"{EvalColor}\" stroke-width=\"1.5\"/>");
            if (v.Final)
                svg.Append(CultureInfo.InvariantCulture,
                    $"<path d=\"M{F(x)} {F(y - 7)} L{F(x + 7)} {F(y)} L{F(x)} {F(y + 7)} L{F(x - 7)} {F(y)} Z\" fill=\"{EvalColor}\" stroke=\"#fff\"/>");
            else
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"4\" fill=\"{EvalColor}\" stroke=\"#fff\"/>");
            svg.Append("</g>\n");
        }
    }

    /// <summary>
    /// mean ± std, kept within the returns the evaluation saw [min, max]: no episode of CartPole-v1 returns more than 500,
    /// so a bar reaching 540 would draw a return that cannot happen.
    /// </summary>
    private static (double Low, double High) ErrorBar(EvaluationRecord v) =>
        (Math.Max(v.Mean - v.Std, v.Min), Math.Min(v.Mean + v.Std, v.Max));

    private static List<(string Color, string? Dash, bool IsEvaluation, string Label)> LegendItems(CurveOptions o)
    {
        var items = new List<(string Color, string? Dash, bool IsEvaluation, string Label)>
        {
            (ReturnColor, null, false, "episode return"),
            (AverageColor, null, false, $"moving average ({o.MovingAverageWindow} episodes)"),
            (EvalColor, null, true, "greedy evaluation (mean ± std, within min–max)"),
            (EpsilonColor, "4 3", false, "ε (right axis)"),
        };
        if (o.SolveThreshold is { } threshold)
            items.Add((ThresholdColor, "6 4", false, $"solve threshold {Number(threshold)}"));
        return items;
    }

    /// <summary>Puts the legend entries in rows that fit the plot's width.</summary>
    private static List<List<int>> LegendRows(List<(string Color, string? Dash, bool IsEvaluation, string Label)> items, double plotWidth)
    {
        var rows = new List<List<int>> { new() };
        double width = 0;
        for (int i = 0; i < items.Count; i++)
        {
            double w = LegendEntryWidth(items[i].Label);
            if (width + w > plotWidth && rows[^1].Count > 0)
            {
                rows.Add([]);
                width = 0;
            }
            rows[^1].Add(i);
            width += w;
        }
        return rows;
    }

    private static void DrawLegend(StringBuilder svg, List<(string Color, string? Dash, bool IsEvaluation, string Label)> items,
        List<List<int>> rows, Plot plot)
    {
        svg.Append("<g class=\"legend\">\n");
        for (int r = 0; r < rows.Count; r++)
        {
            double x = plot.Left, y = plot.Top - 14 - LegendRowHeight * (rows.Count - 1 - r);
            foreach (int i in rows[r])
            {
                var (color, dash, isEvaluation, label) = items[i];
                if (isEvaluation)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x + 11)}\" y1=\"{F(y - 6)}\" x2=\"{F(x + 11)}\" y2=\"{F(y + 6)}\" stroke=\"{color}\" stroke-width=\"1.5\"/>");
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(x + 11)}\" cy=\"{F(y)}\" r=\"4\" fill=\"{color}\"/>");
                }
                else
                {
                    string dashAttribute = dash is null ? "" : $" stroke-dasharray=\"{dash}\"";
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<line x1=\"{F(x)}\" y1=\"{F(y)}\" x2=\"{F(x + 22)}\" y2=\"{F(y)}\" stroke=\"{color}\" stroke-width=\"2\"{dashAttribute}/>");
                }
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 28)}\" y=\"{F(y + 4)}\" fill=\"#222\">{Escape(label)}</text>\n");
                x += LegendEntryWidth(label);
            }
        }
        svg.Append("</g>\n");
    }

    private static double LegendEntryWidth(string label) => 40 + TextWidth(label);

    /// <summary>Rough width of 12px Helvetica text, enough to space legend entries.</summary>
    private static double TextWidth(string text) => text.Length * 6.0;

    /// <summary>A tick spacing of 1, 2 or 5 × 10ᵏ giving about <paramref name="ticks"/> intervals over [0, range].</summary>
    internal static double NiceStep(double range, int ticks)
    {
        double raw = range / ticks;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double normalized = raw / magnitude;
        double nice = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10;
        return nice * magnitude;
    }

    private static string Steps(double steps) => steps switch
    {
        >= 1_000_000 => Number(steps / 1_000_000) + "M",
        >= 1_000 => Number(steps / 1_000) + "k",
        _ => Number(steps),
    };

    private static string Number(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);

    /// <summary>Maps data coordinates (steps, return) to pixels; y grows downwards in SVG.</summary>
    private readonly record struct Plot(double Left, double Top, double Width, double Height, double XMax, double YMax)
    {
        public double Right => Left + Width;

        public double Bottom => Top + Height;

        public double X(double step) => Left + Width * step / XMax;

        public double Y(double value) => Top + Height * (1 - value / YMax);
    }
}
