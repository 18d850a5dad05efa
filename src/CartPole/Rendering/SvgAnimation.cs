using System.Globalization;
using System.Text;

namespace CartPole.Rendering;

/// <summary>
/// A whole episode as one self-contained animated SVG: track, cart, pole, the ±12° limits and a step counter, played at
/// Gymnasium's 50 frames per second (one frame per τ = 0.02 s), looping, with the last frame held for a second. It uses
/// SMIL animation only (no script, no CSS), so it plays in any browser and can be embedded in an HTML report.
/// </summary>
public static class SvgAnimation
{
    private const double Width = 640, Height = 250, Margin = 20;
    private const double TrackY = 215, CartWidth = 50, CartHeight = 30, PivotY = TrackY - CartHeight + 7.5;
    private const int HoldFrames = 50;

    /// <summary>Pixels per metre: the track's 4.8 m span the width between the margins (Gymnasium's 600 px / 4.8 m).</summary>
    private const double Scale = (Width - 2 * Margin) / (2 * CartPolePhysics.XThreshold);

    /// <summary>
    /// The SVG document for an episode: <paramref name="states"/>[0] is the start state and <paramref name="states"/>[k]
    /// the state after step k. <paramref name="title"/>, when given, is shown top left and as the document's title.
    /// </summary>
    public static string Render(IReadOnlyList<CartPoleState> states, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
            throw new ArgumentException("SvgAnimation: an episode needs at least its start state, got no states.", nameof(states));

        int n = states.Count;
        int frames = n + HoldFrames;
        string dur = F(frames * CartPolePhysics.Tau) + "s";
        var svg = new StringBuilder(256 + n * 200);
        var inv = CultureInfo.InvariantCulture;

        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {F(Width)} {F(Height)}\" width=\"{F(Width)}\" height=\"{F(Height)}\" font-family=\"monospace\" font-size=\"14\">\n");
        svg.Append("<title>").Append(Escape(title ?? $"CartPole-v1 episode, {n - 1} steps")).Append("</title>\n");
        svg.Append(inv, $"<rect width=\"{F(Width)}\" height=\"{F(Height)}\" fill=\"#ffffff\"/>\n");
        if (title != null)
            svg.Append(inv, $"<text x=\"{F(Margin)}\" y=\"24\" font-size=\"12\" fill=\"#333333\">").Append(Escape(title)).Append("</text>\n");

        // The track, with its ends (|x| = 2.4 m, where the episode terminates) marked.
        svg.Append(inv, $"<line x1=\"{F(Margin)}\" y1=\"{F(TrackY)}\" x2=\"{F(Width - Margin)}\" y2=\"{F(TrackY)}\" stroke=\"#000000\" stroke-width=\"2\"/>\n");
        foreach (double end in (double[])[Margin, Width - Margin])
            svg.Append(inv, $"<line x1=\"{F(end)}\" y1=\"{F(TrackY - 40)}\" x2=\"{F(end)}\" y2=\"{F(TrackY + 8)}\" stroke=\"#cc3333\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n");

        // The cart group moves along x; inside it the pole group turns about the pivot.
        svg.Append(inv, $"<g transform=\"translate({F(CartX(states[0].X))} 0)\">\n");
        AppendAnimation(svg, "translate", dur, states, s => F(CartX(s.X)) + " 0");
        double limitDeg = CartPolePhysics.ThetaThresholdRadians * 180 / Math.PI;
        double limitLength = 2 * CartPolePhysics.Length * Scale;
        foreach (double sign in (double[])[-1, 1])
        {
            double a = sign * CartPolePhysics.ThetaThresholdRadians;
            svg.Append(inv, $"<line x1=\"0\" y1=\"{F(PivotY)}\" x2=\"{F(limitLength * Math.Sin(a))}\" y2=\"{F(PivotY - limitLength * Math.Cos(a))}\" stroke=\"#cc3333\" stroke-width=\"1\" stroke-dasharray=\"3 4\"><title>±{F(limitDeg)}°</title></line>\n");
        }
        svg.Append(inv, $"<rect x=\"{F(-CartWidth / 2)}\" y=\"{F(TrackY - CartHeight)}\" width=\"{F(CartWidth)}\" height=\"{F(CartHeight)}\" fill=\"#000000\"/>\n");
        svg.Append(inv, $"<g transform=\"rotate({F(Degrees(states[0].Theta))} 0 {F(PivotY)})\">\n");
        AppendAnimation(svg, "rotate", dur, states, s => F(Degrees(s.Theta)) + " 0 " + F(PivotY));
        double poleLength = 2 * CartPolePhysics.Length * Scale;
        svg.Append(inv, $"<line x1=\"0\" y1=\"{F(PivotY)}\" x2=\"0\" y2=\"{F(PivotY - poleLength)}\" stroke=\"#ca9865\" stroke-width=\"10\" stroke-linecap=\"round\"/>\n");
        svg.Append("</g>\n");
        svg.Append(inv, $"<circle cx=\"0\" cy=\"{F(PivotY)}\" r=\"5\" fill=\"#8184cb\"/>\n");
        svg.Append("</g>\n");

        AppendStepCounter(svg, n, frames, dur);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>
    /// One discrete <c>animateTransform</c> for the whole episode: frame k shows state k for τ seconds, the last state is
    /// held for <see cref="HoldFrames"/> more frames, then the episode starts over.
    /// </summary>
    private static void AppendAnimation(StringBuilder svg, string type, string dur, IReadOnlyList<CartPoleState> states,
        Func<CartPoleState, string> value)
    {
        svg.Append("<animateTransform attributeName=\"transform\" type=\"").Append(type).Append("\" calcMode=\"discrete\" dur=\"")
            .Append(dur).Append("\" repeatCount=\"indefinite\" values=\"");
        for (int k = 0; k < states.Count; k++)
            svg.Append(value(states[k])).Append(';');
        string last = value(states[^1]);
        for (int k = 1; k < HoldFrames; k++)
            svg.Append(last).Append(';');
        svg.Append(last).Append("\"/>\n");
    }

    /// <summary>SMIL cannot change a text's content, so each step number is its own text, visible during its frame only.</summary>
    private static void AppendStepCounter(StringBuilder svg, int n, int frames, string dur)
    {
        var inv = CultureInfo.InvariantCulture;
        for (int k = 0; k < n; k++)
        {
            string begin = F6((double)k / frames);
            string end = F6((double)(k + 1) / frames);
            string values, keyTimes;
            if (n == 1)
                (values, keyTimes) = ("visible", "0");
            else if (k == 0)
                (values, keyTimes) = ("visible;hidden", "0;" + end);
            else if (k == n - 1)
                (values, keyTimes) = ("hidden;visible", "0;" + begin);
            else
                (values, keyTimes) = ("hidden;visible;hidden", "0;" + begin + ";" + end);
            svg.Append(inv, $"<text x=\"{F(Margin)}\" y=\"48\" visibility=\"{(k == 0 ? "visible" : "hidden")}\">step {k}")
                .Append(inv, $"<animate attributeName=\"visibility\" calcMode=\"discrete\" dur=\"{dur}\" repeatCount=\"indefinite\" values=\"{values}\" keyTimes=\"{keyTimes}\"/></text>\n");
        }
    }

    private static double CartX(double x) => Width / 2 + x * Scale;

    private static double Degrees(double theta) => theta * 180 / Math.PI;

    private static string F(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string F6(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
