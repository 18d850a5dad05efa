using System.Globalization;
using System.Text;
using static ScratchRl.Benchmarks.Charts.GflopsChartSvg;

namespace ScratchRl.Benchmarks.Charts;

/// <summary>
/// The roofline of the DQN matmuls (Williams, Waterman and Patterson, 2009), log-log: arithmetic intensity I (FLOPs per
/// byte of compulsory memory traffic) across, GFLOP/s up. A kernel cannot beat min(peak, bandwidth · I): the flat roofs
/// are the measured FMA peaks, the slanted ones the measured memory bandwidths. Each point is one DQN shape at its
/// fastest kernel, I = 2·m·k·n / (4·(m·k + k·n + m·n)) for float32 A, B read once and C written once.
/// </summary>
public static class RooflineSvg
{
    private const double Left = 74, Top = 60, PlotWidth = 600, PlotHeight = 400, Right = 200;

    /// <param name="dqn">The <see cref="MatMulDqnBenchmarks"/> chart (its rows carry their <see cref="MatMulCase"/>).</param>
    /// <param name="peaks">Fma256/Fma512 → GFLOP/s.</param>
    /// <param name="bandwidths">Bandwidth benchmark method → GB/s.</param>
    public static string Render(GflopsChart dqn, IReadOnlyDictionary<string, double> peaks, IReadOnlyDictionary<string, double> bandwidths)
    {
        ArgumentNullException.ThrowIfNull(dqn);
        var points = dqn.Rows.Where(r => r.Parameter is MatMulCase).GroupBy(r => (MatMulCase)r.Parameter!)
            .Select(g => (Case: g.Key, Best: g.MaxBy(r => r.Gflops)!)).ToList();
        double peak = peaks.Values.Max();
        double xMin = Math.Pow(10, Math.Floor(Math.Log10(Math.Min(points.Min(p => Intensity(p.Case)), peak / bandwidths.Values.Max()) / 2)));
        double xMax = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(points.Max(p => Intensity(p.Case)), peak / bandwidths.Values.Min()) * 2)));
        double yMin = Math.Pow(10, Math.Floor(Math.Log10(Math.Min(points.Min(p => p.Best.Gflops), bandwidths.Values.Min() * xMin))));
        double yMax = Math.Pow(10, Math.Ceiling(Math.Log10(peak * 1.5)));
        double X(double i) => Left + PlotWidth * Math.Log(i / xMin) / Math.Log(xMax / xMin);
        double Y(double g) => Top + PlotHeight * (1 - Math.Log(g / yMin) / Math.Log(yMax / yMin));

        double width = Left + PlotWidth + Right, height = Top + PlotHeight + 56;
        var svg = new StringBuilder(16_384);
        svg.Append(CultureInfo.InvariantCulture,
                $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(width)} {F(height)}\" ")
            .Append("font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
            .Append(CultureInfo.InvariantCulture, $"<rect width=\"{F(width)}\" height=\"{F(height)}\" fill=\"#ffffff\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left)}\" y=\"20\" font-size=\"15\" font-weight=\"bold\" fill=\"#222\">Roofline of the DQN matmuls (one core, float32)</text>\n")
            .Append(CultureInfo.InvariantCulture, $"<text class=\"cpu\" x=\"{F(Left)}\" y=\"38\" fill=\"#555\">{Escape(dqn.Cpu)} · BenchmarkDotNet job {Escape(dqn.Job)}</text>\n");
        for (double d = xMin; d <= xMax * 1.001; d *= 10)
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(d))}\" y1=\"{F(Top)}\" x2=\"{F(X(d))}\" y2=\"{F(Top + PlotHeight)}\" stroke=\"#e6e6e6\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(d))}\" y=\"{F(Top + PlotHeight + 18)}\" text-anchor=\"middle\" fill=\"#444\">{Number(d)}</text>\n");
        for (double d = yMin; d <= yMax * 1.001; d *= 10)
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" y1=\"{F(Y(d))}\" x2=\"{F(Left + PlotWidth)}\" y2=\"{F(Y(d))}\" stroke=\"#e6e6e6\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left - 8)}\" y=\"{F(Y(d) + 4)}\" text-anchor=\"end\" fill=\"#444\">{Number(d)}</text>\n");
        double midY = Top + PlotHeight / 2;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(PlotWidth)}\" height=\"{F(PlotHeight)}\" fill=\"none\" stroke=\"#444\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left + PlotWidth / 2)}\" y=\"{F(Top + PlotHeight + 40)}\" text-anchor=\"middle\" fill=\"#444\">arithmetic intensity (FLOP per byte of compulsory traffic)</text>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"18\" y=\"{F(midY)}\" text-anchor=\"middle\" fill=\"#444\" transform=\"rotate(-90 18 {F(midY)})\">GFLOP/s</text>\n");

        // Roofs: each bandwidth rises until it meets the highest peak; each peak is flat from where the fastest memory line meets it.
        double fastest = bandwidths.Values.Max();
        foreach (var (method, bandwidth) in bandwidths.OrderByDescending(b => b.Value))
        {
            double ridge = peak / bandwidth;
            string dash = bandwidth == fastest ? "" : " stroke-dasharray=\"6 4\"";
            svg.Append(CultureInfo.InvariantCulture,
                    $"<line class=\"bandwidth\" x1=\"{F(X(xMin))}\" y1=\"{F(Y(bandwidth * xMin))}\" x2=\"{F(X(ridge))}\" y2=\"{F(Y(peak))}\" stroke=\"#1f5fa8\" stroke-width=\"2\"{dash} data-gbps=\"{bandwidth:R}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(xMin) + 6)}\" y=\"{F(Y(bandwidth * xMin) - 6)}\" fill=\"#1f5fa8\" transform=\"rotate({F(-Math.Atan2(Y(bandwidth * xMin) - Y(peak), X(ridge) - X(xMin)) * 180 / Math.PI)} {F(X(xMin) + 6)} {F(Y(bandwidth * xMin) - 6)})\">DRAM, {method}: {bandwidth:0.0} GB/s</text>\n");
        }
        foreach (var (method, gflops) in peaks.OrderByDescending(p => p.Value))
        {
            string label = $"FMA peak, {method["Fma".Length..]}-bit: {gflops:0.0} GFLOP/s";
            svg.Append(CultureInfo.InvariantCulture,
                    $"<line class=\"peak\" x1=\"{F(X(gflops / fastest))}\" y1=\"{F(Y(gflops))}\" x2=\"{F(X(xMax))}\" y2=\"{F(Y(gflops))}\" stroke=\"#c0392b\" stroke-width=\"2\" data-gflops=\"{gflops:R}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(xMax) - 4)}\" y=\"{F(Y(gflops) - 6)}\" text-anchor=\"end\" fill=\"#c0392b\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{label}</text>\n");
        }
        string[] formColors = ["#e07b00", "#2e9a4a", "#8e44ad"];
        // Each point carries a number, its shape and speed listed at the right; numbers are short enough not to collide.
        var ordered = points.OrderByDescending(p => p.Best.Gflops).ToList();
        double listY = Top + 110;
        for (int n = 0; n < ordered.Count; n++)
        {
            var (c, best) = ordered[n];
            double x = X(Intensity(c)), y = Y(best.Gflops);
            svg.Append(CultureInfo.InvariantCulture,
                    $"<circle class=\"workload\" cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"5\" fill=\"{formColors[(int)c.Form]}\" stroke=\"#fff\" data-intensity=\"{Intensity(c):R}\" data-gflops=\"{best.Gflops:R}\">")
                .Append(CultureInfo.InvariantCulture, $"<title>{Escape(c.ToString())}: {best.Gflops:0.0} GFLOP/s ({Escape(best.Method)}), I = {Intensity(c):0.00}</title></circle>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + (n % 2 == 0 ? 7 : -7))}\" y=\"{F(y + 4)}\" text-anchor=\"{(n % 2 == 0 ? "start" : "end")}\" fill=\"#222\" font-size=\"10\">{n + 1}</text>\n")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left + PlotWidth + 16)}\" y=\"{F(listY + 13 * n)}\" fill=\"{formColors[(int)c.Form]}\" font-size=\"10\">{n + 1}. {Escape(c.ToString())}: {best.Gflops:0.0}</text>\n");
        }
        double legendX = Left + PlotWidth + 16, legendY = Top + 10;
        string[] forms = ["A·B (∂x = g·W)", "Aᵀ·B (∂W = gᵀ·x)", "A·Bᵀ (forward x·Wᵀ)"];
        for (int f = 0; f < forms.Length; f++)
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(legendX + 5)}\" cy=\"{F(legendY + 20 * f)}\" r=\"5\" fill=\"{formColors[f]}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(legendX + 14)}\" y=\"{F(legendY + 20 * f + 4)}\" fill=\"#222\">{Escape(forms[f])}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(legendX)}\" y=\"{F(legendY + 70)}\" fill=\"#666\" font-size=\"11\">each shape at its fastest kernel,</text>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(legendX)}\" y=\"{F(legendY + 84)}\" fill=\"#666\" font-size=\"11\">GFLOP/s:</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>I = FLOPs / bytes: 2·m·k·n over 4 bytes for each element of A (m·k), B (k·n) and C (m·n).</summary>
    public static double Intensity(MatMulCase c) => c.Flops / (4.0 * ((double)c.M * c.K + (double)c.K * c.N + (double)c.M * c.N));
}
