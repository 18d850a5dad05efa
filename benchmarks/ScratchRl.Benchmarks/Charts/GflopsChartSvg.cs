using System.Globalization;
using System.Security;
using System.Text;

namespace ScratchRl.Benchmarks.Charts;

/// <summary>
/// A grouped bar chart of GFLOP/s: one group per case (size, shape), one bar per method in a colour of its own, the
/// FMA peaks measured in the same run as dashed lines across, the CPU and the job in the caption.
/// </summary>
public static class GflopsChartSvg
{
    private const double Left = 70, Right = 24, Top = 74, PlotHeight = 300, BarWidth = 12, GroupGap = 18;

    /// <summary>The suite's kernels keep one colour in every chart; other methods take the rest in order of appearance.</summary>
    private static readonly Dictionary<string, string> KernelColors = new()
    {
        ["Naive"] = "#9e9e9e", ["VectorT"] = "#1f5fa8", ["Vector256"] = "#e07b00", ["Vector512"] = "#2e9a4a",
        ["TensorPrimitives"] = "#8e44ad", ["MathNetManaged"] = "#c0392b", ["Fma256"] = "#e07b00", ["Fma512"] = "#2e9a4a",
    };

    private static readonly string[] Palette = ["#17becf", "#8c564b", "#bcbd22", "#e377c2", "#7f7f7f", "#1f77b4"];

    /// <param name="chart">The measured rows.</param>
    /// <param name="peaks">Method name of <see cref="PeakBenchmarks"/> (Fma256, Fma512) → GFLOP/s; drawn when present.</param>
    public static string Render(GflopsChart chart, IReadOnlyDictionary<string, double> peaks)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(peaks);
        List<string> groups = [.. chart.Rows.Select(r => r.Group).Distinct()];
        List<string> methods = [.. chart.Rows.Select(r => r.Method).Distinct()];
        string[] colors = new string[methods.Count];
        for (int m = 0, other = 0; m < methods.Count; m++)
            colors[m] = KernelColors.TryGetValue(methods[m], out string? known) ? known : Palette[other++ % Palette.Length];
        double yMax = Math.Max(chart.Rows.Max(r => r.Gflops), peaks.Count > 0 ? peaks.Values.Max() : 0) * 1.08;
        if (!(yMax > 0))
            yMax = 1;
        double yStep = NiceStep(yMax, 6);
        yMax = Math.Ceiling(yMax / yStep) * yStep;
        double groupWidth = methods.Count * BarWidth + GroupGap;
        double legendWidth = methods.Sum(m => 28 + m.Length * 6.5);
        double plotWidth = Math.Max(Math.Max(520, legendWidth), groups.Count * groupWidth);
        bool slanted = groups.Any(g => g.Length * 6.5 > groupWidth - 4);
        double labelDepth = slanted ? 12 + 5 * groups.Max(g => g.Length) : 24;
        double width = Left + plotWidth + Right, height = Top + PlotHeight + labelDepth + 30;
        double Y(double v) => Top + PlotHeight * (1 - v / yMax);

        var svg = new StringBuilder(8192 + 300 * chart.Rows.Count);
        svg.Append(CultureInfo.InvariantCulture,
                $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(width)} {F(height)}\" ")
            .Append("font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
            .Append(CultureInfo.InvariantCulture, $"<rect width=\"{F(width)}\" height=\"{F(height)}\" fill=\"#ffffff\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left)}\" y=\"20\" font-size=\"15\" font-weight=\"bold\" fill=\"#222\">{Escape(chart.ClassName)}: GFLOP/s per method (higher is better)</text>\n")
            .Append(CultureInfo.InvariantCulture, $"<text class=\"cpu\" x=\"{F(Left)}\" y=\"38\" fill=\"#555\">{Escape(chart.Cpu)} · BenchmarkDotNet job {Escape(chart.Job)} · one thread</text>\n");
        double legendX = Left;
        for (int m = 0; m < methods.Count; m++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(legendX)}\" y=\"50\" width=\"12\" height=\"12\" fill=\"{colors[m]}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(legendX + 16)}\" y=\"60\" fill=\"#222\">{Escape(methods[m])}</text>\n");
            legendX += 28 + methods[m].Length * 6.5;
        }
        for (double v = 0; v <= yMax + yStep / 2; v += yStep)
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" y1=\"{F(Y(v))}\" x2=\"{F(Left + plotWidth)}\" y2=\"{F(Y(v))}\" stroke=\"#e6e6e6\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left - 8)}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\" fill=\"#444\">{Number(v)}</text>\n");
        double midY = Top + PlotHeight / 2;
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"18\" y=\"{F(midY)}\" text-anchor=\"middle\" fill=\"#444\" transform=\"rotate(-90 18 {F(midY)})\">GFLOP/s</text>\n");

        for (int g = 0; g < groups.Count; g++)
        {
            double groupLeft = Left + g * groupWidth + GroupGap / 2 + (plotWidth - groups.Count * groupWidth) / 2;
            for (int m = 0; m < methods.Count; m++)
            {
                var row = chart.Rows.FirstOrDefault(r => r.Group == groups[g] && r.Method == methods[m]);
                if (row is null)
                    continue;
                double x = groupLeft + m * BarWidth, y = Y(row.Gflops);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"bar\" x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(BarWidth - 1)}\" height=\"{F(Top + PlotHeight - y)}\" fill=\"{colors[m]}\" ")
                    .Append(CultureInfo.InvariantCulture, $"data-group=\"{Escape(row.Group)}\" data-method=\"{Escape(row.Method)}\" data-gflops=\"{row.Gflops:R}\">")
                    .Append(CultureInfo.InvariantCulture, $"<title>{Escape(row.Method)}, {Escape(row.Group)}: {row.Gflops:0.0} GFLOP/s</title></rect>\n");
            }
            double centre = groupLeft + methods.Count * BarWidth / 2, labelY = Top + PlotHeight + 16;
            svg.Append(slanted
                ? string.Create(CultureInfo.InvariantCulture, $"<text x=\"{F(centre)}\" y=\"{F(labelY)}\" text-anchor=\"end\" fill=\"#222\" font-size=\"11\" transform=\"rotate(-35 {F(centre)} {F(labelY)})\">{Escape(groups[g])}</text>\n")
                : string.Create(CultureInfo.InvariantCulture, $"<text x=\"{F(centre)}\" y=\"{F(labelY)}\" text-anchor=\"middle\" fill=\"#222\">{Escape(groups[g])}</text>\n"));
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" y1=\"{F(Top + PlotHeight)}\" x2=\"{F(Left + plotWidth)}\" y2=\"{F(Top + PlotHeight)}\" stroke=\"#444\"/>\n");
        foreach (var (method, gflops) in peaks.OrderByDescending(p => p.Value))
        {
            double y = Y(gflops);
            string label = $"FMA peak, {method["Fma".Length..]}-bit: {gflops:0.0} GFLOP/s";
            svg.Append(CultureInfo.InvariantCulture,
                    $"<line class=\"peak\" x1=\"{F(Left)}\" y1=\"{F(y)}\" x2=\"{F(Left + plotWidth)}\" y2=\"{F(y)}\" stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" data-gflops=\"{gflops:R}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left + plotWidth - 4)}\" y=\"{F(y - 5)}\" text-anchor=\"end\" fill=\"#c0392b\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{Escape(label)}</text>\n");
        }
        if (peaks.Count == 0)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left + plotWidth - 4)}\" y=\"{F(Top - 4)}\" text-anchor=\"end\" fill=\"#999\" font-size=\"11\">no FMA peak in this run (run PeakBenchmarks with it to draw one)</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>A tick spacing of 1, 2 or 5 × 10ᵏ giving about <paramref name="ticks"/> intervals over [0, range].</summary>
    internal static double NiceStep(double range, int ticks)
    {
        double raw = range / ticks;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double normalized = raw / magnitude;
        return (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude;
    }

    internal static string Number(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);

    internal static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    internal static string Escape(string text) => SecurityElement.Escape(text);
}
