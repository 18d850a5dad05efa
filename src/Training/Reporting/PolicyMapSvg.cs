using System.Globalization;
using System.Security;
using System.Text;
using CartPole;
using Training.Policies;

namespace Training.Reporting;

/// <summary>
/// The pictures of a <see cref="PolicyView"/> for report.html, each a standalone SVG: the policy map (the action taken
/// over pole angle θ × angular velocity θ̇, shaded by how decided the policy is, <c>id="policy-map"</c>), the value map
/// (max_a Q(s, a) or V(s) over the same plane, <c>id="value-map"</c>), both with the recorded episode's path drawn on
/// top, and the scores along that episode (<c>id="episode-values"</c>).
/// </summary>
internal static class PolicyMapSvg
{
    private const double MapLeft = 58, MapTop = 40, MapWidth = 326, MapHeight = 288, MapBottom = 46, LegendWidth = 86;
    private const string AxisColor = "#444", PathColor = "#111";

    /// <summary>One colour per action: left (0) blue, right (1) orange, then more for larger action sets.</summary>
    public static readonly string[] ActionColors = ["#3b73b9", "#e8833a", "#2e9a4a", "#8e44ad", "#c0392b", "#7f8c8d"];

    /// <summary>The policy map: each cell in its action's colour, more opaque where the policy is more decided.</summary>
    public static string PolicyMap(PolicyView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        int a = view.ActionCount;
        // Decidedness in [0, 1]: Q's gap between the best and the runner-up (relative to the largest gap on the map), or
        // how far the most likely action's probability is above uniform.
        var margin = new double[view.Actions.Length];
        double largest = 0;
        for (int cell = 0; cell < margin.Length; cell++)
        {
            ReadOnlySpan<float> s = view.Scores.AsSpan(cell * a, a);
            margin[cell] = view.Kind == ActionScoreKind.QValues ? TopGap(s) : (Max(s) - 1.0 / a) / (1 - 1.0 / a);
            largest = Math.Max(largest, margin[cell]);
        }
        string title = view.Kind == ActionScoreKind.QValues
            ? "Greedy action argmax_a Q(s, a) at x = ẋ = 0"
            : "Most likely action (shade: its probability) at x = ẋ = 0";
        var svg = Begin("policy-map", title, MapLeft + MapWidth + 20 + LegendWidth);
        svg.Append("<g class=\"cells\">\n");
        for (int r = 0; r < PolicyView.Rows; r++)
        {
            for (int c = 0; c < PolicyView.Columns; c++)
            {
                int cell = r * PolicyView.Columns + c;
                var (theta, thetaDot) = view.CellCentre(r, c);
                double opacity = 0.2 + 0.8 * (view.Kind == ActionScoreKind.QValues && largest > 0 ? margin[cell] / largest : Math.Clamp(margin[cell], 0, 1));
                AppendCell(svg, r, c, ActionColors[view.Actions[cell] % ActionColors.Length],
                    string.Create(CultureInfo.InvariantCulture, $" fill-opacity=\"{opacity:0.##}\" data-theta=\"{(float)theta:R}\" data-theta-dot=\"{(float)thetaDot:R}\" data-action=\"{view.Actions[cell]}\""));
            }
        }
        svg.Append("</g>\n");
        AppendAxes(svg, view);
        AppendEpisodePath(svg, view);
        double x = MapLeft + MapWidth + 20, y = MapTop + 10;
        for (int i = 0; i < a; i++, y += 22)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(y - 10)}\" width=\"14\" height=\"14\" fill=\"{ActionColors[i % ActionColors.Length]}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 20)}\" y=\"{F(y + 2)}\" fill=\"#222\">{ActionName(i, a)}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(y + 8)}\" fill=\"#666\" font-size=\"11\">pale: undecided</text>\n");
        AppendPathLegend(svg, x, y + 34);
        return End(svg);
    }

    /// <summary>The value map: max_a Q(s, a) (or V(s)) per cell on a blue-to-yellow scale, with the scale at the right.</summary>
    public static string ValueMap(PolicyView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        float low = float.PositiveInfinity, high = float.NegativeInfinity;
        foreach (float v in view.Values)
        {
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }
        string title = view.Kind == ActionScoreKind.QValues ? "State value max_a Q(s, a) at x = ẋ = 0" : "State value V(s) at x = ẋ = 0";
        var svg = Begin("value-map", title, MapLeft + MapWidth + 20 + LegendWidth);
        svg.Append("<g class=\"cells\">\n");
        for (int r = 0; r < PolicyView.Rows; r++)
        {
            for (int c = 0; c < PolicyView.Columns; c++)
            {
                float v = view.Values[r * PolicyView.Columns + c];
                double t = high > low ? (v - low) / (high - low) : 0.5;
                AppendCell(svg, r, c, Scale(t), string.Create(CultureInfo.InvariantCulture, $" data-value=\"{v:R}\""));
            }
        }
        svg.Append("</g>\n");
        AppendAxes(svg, view);
        AppendEpisodePath(svg, view);
        // The colour scale: a column of bands from low (bottom) to high (top).
        double x = MapLeft + MapWidth + 24, bands = 32, bandHeight = MapHeight / bands;
        for (int i = 0; i < bands; i++)
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{F(x)}\" y=\"{F(MapTop + MapHeight - (i + 1) * bandHeight)}\" width=\"16\" height=\"{F(bandHeight + 0.5)}\" fill=\"{Scale((i + 0.5) / bands)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"\n<text x=\"{F(x + 22)}\" y=\"{F(MapTop + 10)}\" fill=\"#222\">{Number(high)}</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 22)}\" y=\"{F(MapTop + MapHeight)}\" fill=\"#222\">{Number(low)}</text>\n");
        return End(svg);
    }

    /// <summary>Each action's score at every state of the recorded episode, and the action taken (a strip along the bottom).</summary>
    public static string EpisodeScores(PolicyView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        const double left = 64, top = 40, width = 860, height = 200, strip = 10;
        int a = view.ActionCount, steps = view.Episode.Count;
        float low = float.PositiveInfinity, high = float.NegativeInfinity;
        foreach (float s in view.EpisodeScores)
        {
            low = Math.Min(low, s);
            high = Math.Max(high, s);
        }
        if (view.Kind == ActionScoreKind.Probabilities)
            (low, high) = (0, 1);
        else if (!(high > low))
            (low, high) = (low - 1, high + 1);
        double X(int t) => left + width * t / Math.Max(1, steps - 1);
        double Y(double s) => top + height * (1 - (s - low) / (high - low));

        string what = view.Kind == ActionScoreKind.QValues ? "Q(s_t, a)" : "π(a | s_t)";
        var svg = new StringBuilder(4096 + 40 * steps * a);
        double total = left + width + 24, totalHeight = top + height + strip + 52;
        svg.Append(CultureInfo.InvariantCulture,
                $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"episode-values\" width=\"{F(total)}\" height=\"{F(totalHeight)}\" viewBox=\"0 0 {F(total)} {F(totalHeight)}\" ")
            .Append("font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
            .Append(CultureInfo.InvariantCulture, $"<rect width=\"{F(total)}\" height=\"{F(totalHeight)}\" fill=\"#ffffff\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left)}\" y=\"18\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">{Escape(what)} along the recorded episode</text>\n");
        for (int i = 0; i < a; i++)
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left + 300 + 110 * i)}\" y1=\"14\" x2=\"{F(left + 322 + 110 * i)}\" y2=\"14\" stroke=\"{ActionColors[i % ActionColors.Length]}\" stroke-width=\"2.5\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + 328 + 110 * i)}\" y=\"18\" fill=\"#222\">{ActionName(i, a)}</text>\n");
        double yStep = CurveSvg.NiceStep(high - low, 5);
        for (double v = Math.Ceiling(low / yStep) * yStep; v <= high + 1e-9; v += yStep)
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left)}\" y1=\"{F(Y(v))}\" x2=\"{F(left + width)}\" y2=\"{F(Y(v))}\" stroke=\"#e6e6e6\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left - 8)}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\" fill=\"{AxisColor}\">{Number(v)}</text>\n");
        double tStep = CurveSvg.NiceStep(Math.Max(1, steps - 1), 10);
        for (double t = 0; t <= steps - 1 + 1e-9; t += tStep)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X((int)t))}\" y=\"{F(top + height + strip + 20)}\" text-anchor=\"middle\" fill=\"{AxisColor}\">{t:0}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(width)}\" height=\"{F(height)}\" fill=\"none\" stroke=\"{AxisColor}\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + width / 2)}\" y=\"{F(top + height + strip + 40)}\" text-anchor=\"middle\" fill=\"{AxisColor}\">step t (strip: the action taken, argmax of the scores)</text>\n");
        for (int i = 0; i < a; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"action-{i}\" fill=\"none\" stroke=\"{ActionColors[i % ActionColors.Length]}\" stroke-opacity=\"0.85\" stroke-width=\"1.2\" points=\"");
            for (int t = 0; t < steps; t++)
                svg.Append(F(X(t))).Append(',').Append(F(Y(view.EpisodeScores[t * a + i]))).Append(' ');
            svg.Append("\"/>\n");
        }
        double stripWidth = width / Math.Max(1, steps - 1);
        for (int t = 0; t < steps; t++)
        {
            int best = EpsilonGreedy.Argmax(view.EpisodeScores.AsSpan(t * a, a));
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{F(X(t) - stripWidth / 2)}\" y=\"{F(top + height + 2)}\" width=\"{F(stripWidth + 0.3)}\" height=\"{F(strip - 2)}\" fill=\"{ActionColors[best % ActionColors.Length]}\"/>");
        }
        svg.Append("\n</svg>\n");
        return svg.ToString();
    }

    private static StringBuilder Begin(string id, string title, double width)
    {
        double height = MapTop + MapHeight + MapBottom;
        var svg = new StringBuilder(160_000);
        svg.Append(CultureInfo.InvariantCulture,
                $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" width=\"{F(width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(width)} {F(height)}\" ")
            .Append("font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" shape-rendering=\"crispEdges\">\n")
            .Append(CultureInfo.InvariantCulture, $"<rect width=\"{F(width)}\" height=\"{F(height)}\" fill=\"#ffffff\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(MapLeft)}\" y=\"20\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">{Escape(title)}</text>\n");
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    /// <summary>Cell (row 0 at the bottom: θ̇ grows upwards).</summary>
    private static void AppendCell(StringBuilder svg, int row, int column, string fill, string attributes)
    {
        double w = MapWidth / PolicyView.Columns, h = MapHeight / PolicyView.Rows;
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect class=\"cell\" x=\"{F(MapLeft + column * w)}\" y=\"{F(MapTop + (PolicyView.Rows - 1 - row) * h)}\" width=\"{F(w)}\" height=\"{F(h)}\" fill=\"{fill}\"{attributes}/>\n");
    }

    private static double PixelX(PolicyView view, double theta) => MapLeft + MapWidth * (theta + view.ThetaMax) / (2 * view.ThetaMax);

    private static double PixelY(PolicyView view, double thetaDot) => MapTop + MapHeight * (1 - (thetaDot + view.ThetaDotMax) / (2 * view.ThetaDotMax));

    private static void AppendAxes(StringBuilder svg, PolicyView view)
    {
        double bottom = MapTop + MapHeight;
        svg.Append("<g class=\"axes\" shape-rendering=\"auto\">\n")
            .Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(MapLeft)}\" y=\"{F(MapTop)}\" width=\"{F(MapWidth)}\" height=\"{F(MapHeight)}\" fill=\"none\" stroke=\"{AxisColor}\"/>\n");
        double maxDegrees = view.ThetaMax * 180 / Math.PI;
        for (double d = -12; d <= maxDegrees + 1e-9; d += 4)
        {
            double x = PixelX(view, d * Math.PI / 180);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{F(bottom)}\" x2=\"{F(x)}\" y2=\"{F(bottom + 5)}\" stroke=\"{AxisColor}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(bottom + 18)}\" text-anchor=\"middle\" fill=\"{AxisColor}\">{d:0}°</text>\n");
        }
        double step = CurveSvg.NiceStep(2 * view.ThetaDotMax, 6);
        for (double v = -Math.Floor(view.ThetaDotMax / step) * step; v <= view.ThetaDotMax + 1e-9; v += step)
        {
            double y = PixelY(view, v);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(MapLeft - 5)}\" y1=\"{F(y)}\" x2=\"{F(MapLeft)}\" y2=\"{F(y)}\" stroke=\"{AxisColor}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(MapLeft - 8)}\" y=\"{F(y + 4)}\" text-anchor=\"end\" fill=\"{AxisColor}\">{Number(v)}</text>\n");
        }
        double midY = MapTop + MapHeight / 2;
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(MapLeft + MapWidth / 2)}\" y=\"{F(bottom + 38)}\" text-anchor=\"middle\" fill=\"{AxisColor}\">pole angle θ (positive: leaning right)</text>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{F(midY)}\" text-anchor=\"middle\" fill=\"{AxisColor}\" transform=\"rotate(-90 16 {F(midY)})\">angular velocity θ̇ (rad/s)</text>\n")
            .Append("</g>\n");
    }

    /// <summary>The episode's (θ, θ̇) as a line with a dot per state, a ring at the start and a cross at the end.</summary>
    private static void AppendEpisodePath(StringBuilder svg, PolicyView view)
    {
        svg.Append("<g class=\"episode\" shape-rendering=\"auto\">\n<polyline fill=\"none\" stroke=\"").Append(PathColor).Append("\" stroke-opacity=\"0.35\" stroke-width=\"1\" points=\"");
        foreach (CartPoleState s in view.Episode)
            svg.Append(F(PixelX(view, s.Theta))).Append(',').Append(F(PixelY(view, s.ThetaDot))).Append(' ');
        svg.Append("\"/>\n");
        foreach (CartPoleState s in view.Episode)
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(PixelX(view, s.Theta))}\" cy=\"{F(PixelY(view, s.ThetaDot))}\" r=\"1.2\" fill=\"{PathColor}\" fill-opacity=\"0.5\"/>");
        CartPoleState first = view.Episode[0], last = view.Episode[^1];
        double x0 = PixelX(view, first.Theta), y0 = PixelY(view, first.ThetaDot), x1 = PixelX(view, last.Theta), y1 = PixelY(view, last.ThetaDot);
        svg.Append(CultureInfo.InvariantCulture, $"\n<circle cx=\"{F(x0)}\" cy=\"{F(y0)}\" r=\"5\" fill=\"none\" stroke=\"#1e7b34\" stroke-width=\"2\"/>")
            .Append(CultureInfo.InvariantCulture, $"<path d=\"M{F(x1 - 5)},{F(y1 - 5)} L{F(x1 + 5)},{F(y1 + 5)} M{F(x1 - 5)},{F(y1 + 5)} L{F(x1 + 5)},{F(y1 - 5)}\" stroke=\"#b03a2e\" stroke-width=\"2\"/>\n</g>\n");
    }

    private static void AppendPathLegend(StringBuilder svg, double x, double y)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(x + 6)}\" cy=\"{F(y)}\" r=\"2\" fill=\"{PathColor}\"/><text x=\"{F(x + 14)}\" y=\"{F(y + 4)}\" fill=\"#222\" font-size=\"11\">episode</text>\n")
            .Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(x + 6)}\" cy=\"{F(y + 18)}\" r=\"5\" fill=\"none\" stroke=\"#1e7b34\" stroke-width=\"2\"/><text x=\"{F(x + 14)}\" y=\"{F(y + 22)}\" fill=\"#222\" font-size=\"11\">start</text>\n")
            .Append(CultureInfo.InvariantCulture, $"<path d=\"M{F(x + 2)},{F(y + 32)} L{F(x + 10)},{F(y + 40)} M{F(x + 2)},{F(y + 40)} L{F(x + 10)},{F(y + 32)}\" stroke=\"#b03a2e\" stroke-width=\"2\"/><text x=\"{F(x + 14)}\" y=\"{F(y + 40)}\" fill=\"#222\" font-size=\"11\">end</text>\n");
    }

    private static string ActionName(int action, int count) =>
        count == 2 ? (action == 0 ? "push left" : "push right") : string.Create(CultureInfo.InvariantCulture, $"action {action}");

    /// <summary>Best score minus the second best (0 with one action).</summary>
    private static double TopGap(ReadOnlySpan<float> scores)
    {
        double best = double.NegativeInfinity, second = double.NegativeInfinity;
        foreach (float s in scores)
        {
            if (s > best)
                (best, second) = (s, best);
            else if (s > second)
                second = s;
        }
        return scores.Length < 2 ? 0 : best - second;
    }

    private static double Max(ReadOnlySpan<float> values)
    {
        double max = double.NegativeInfinity;
        foreach (float v in values)
            max = Math.Max(max, v);
        return max;
    }

    /// <summary>A perceptually ordered dark-blue → teal → yellow scale (close to viridis) at t ∈ [0, 1].</summary>
    internal static string Scale(double t)
    {
        ReadOnlySpan<(double R, double G, double B)> stops = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];
        double p = Math.Clamp(t, 0, 1) * (stops.Length - 1);
        int i = Math.Min((int)p, stops.Length - 2);
        double f = p - i;
        var (r0, g0, b0) = stops[i];
        var (r1, g1, b1) = stops[i + 1];
        return string.Create(CultureInfo.InvariantCulture,
            $"#{(int)Math.Round(r0 + f * (r1 - r0)):x2}{(int)Math.Round(g0 + f * (g1 - g0)):x2}{(int)Math.Round(b0 + f * (b1 - b0)):x2}");
    }

    private static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}
