using System.Globalization;
using System.Text;

namespace CartPole.Rendering;

/// <summary>
/// One terminal frame of the cart-pole in Unicode box-drawing characters, optionally coloured with ANSI escapes:
/// the pole (its glyphs follow the angle), the cart, the track from −2.4 m to 2.4 m with its ends marked, and a status
/// line with the state. Terminal cells are about twice as tall as wide, which the pole's drawing takes into account.
/// </summary>
public static class TextRenderer
{
    /// <summary>Characters per line unless a width is given.</summary>
    public const int DefaultWidth = 61;

    private const int PoleRows = 6;
    private const int CartHalfWidth = 3;

    // Lines: pole rows, cart top, cart bottom, track, status.
    /// <summary>Lines of a rendered frame: the pole's rows, the cart's two, the track and the status line.</summary>
    public const int Height = PoleRows + 4;

    private const string Reset = "\u001b[0m";
    private const string PoleColor = "\u001b[38;5;173m"; // Gymnasium's pole colour (202, 152, 101), nearest in 256 colours
    private const string CartColor = "\u001b[1m";
    private const string PivotColor = "\u001b[38;5;104m"; // Gymnasium's axle colour (129, 132, 203)
    private const string EndColor = "\u001b[31m";

    /// <summary>
    /// Renders <paramref name="state"/> as <see cref="Height"/> lines of at most <paramref name="width"/> columns joined
    /// by '\n' (no trailing newline, no trailing spaces). <paramref name="step"/> is shown in the status line when given;
    /// the status is marked when the state is beyond a termination threshold.
    /// </summary>
    public static string Render(CartPoleState state, int? step = null, bool color = false, int width = DefaultWidth)
    {
        if (width < 2 * CartHalfWidth + 3)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"TextRenderer: width must be at least {2 * CartHalfWidth + 3}, got {width}.");

        var grid = new Cell[Height - 1, width];
        for (int r = 0; r < Height - 1; r++)
            for (int c = 0; c < width; c++)
                grid[r, c] = new Cell(' ', null);

        // Columns per metre: the track's 4.8 m span the whole width.
        double scale = (width - 1) / (2 * CartPolePhysics.XThreshold);
        int pivot = (int)Math.Round((state.X + CartPolePhysics.XThreshold) * scale);
        DrawPole(grid, pivot, state.Theta, scale);
        DrawCart(grid, pivot);
        DrawTrack(grid, width);

        bool ended = CartPolePhysics.IsTerminated(state);
        var sb = new StringBuilder();
        for (int r = 0; r < Height - 1; r++)
            AppendRow(sb, grid, r, color);
        string status = Status(state, step, ended);
        if (color && ended)
            sb.Append(EndColor).Append(status).Append(Reset);
        else
            sb.Append(status);
        return sb.ToString();
    }

    private static void DrawPole(Cell[,] grid, int pivot, double theta, double scale)
    {
        // The pole is 2·l = 1 m long: `scale` columns across, scale/2 rows up (cells are twice as tall as wide).
        double lengthCols = 2 * CartPolePhysics.Length * scale;
        double dx = lengthCols * Math.Sin(theta);
        double dy = lengthCols / 2 * Math.Cos(theta);
        if (dy <= 0)
            return; // fallen below the horizontal: nothing above the cart to draw
        char glyph = GlyphFor(theta);
        if (Math.Abs(dx) <= 2 * dy)
        {
            // Steeper than a cell's diagonal: one glyph per row, at the pole's column halfway up that row.
            for (int j = 1; j <= PoleRows && j - 1 < dy; j++)
            {
                double h = Math.Min(j - 0.5, dy);
                Plot(grid, PoleRows - j, pivot + (int)Math.Round(dx * h / dy), glyph);
            }
        }
        else
        {
            // Flatter: one glyph per column.
            int columns = (int)Math.Round(Math.Abs(dx));
            for (int i = 1; i <= columns; i++)
            {
                double h = dy * (i - 0.5) / Math.Abs(dx);
                Plot(grid, PoleRows - Math.Max(1, (int)Math.Ceiling(h)), pivot + Math.Sign(dx) * i, glyph);
            }
        }
    }

    private static void Plot(Cell[,] grid, int row, int col, char glyph)
    {
        if (row >= 0 && row < PoleRows && col >= 0 && col < grid.GetLength(1))
            grid[row, col] = new Cell(glyph, PoleColor);
    }

    /// <summary>│ up to 17° (the lean shows as the column steps), ╱ or ╲ up to 72°, ─ beyond.</summary>
    private static char GlyphFor(double theta)
    {
        double slope = Math.Abs(Math.Tan(theta));
        if (slope < 0.3)
            return '│';
        if (slope > 3)
            return '─';
        return theta > 0 ? '╱' : '╲';
    }

    private static void DrawCart(Cell[,] grid, int pivot)
    {
        const string top = "┌──●──┐";
        const string bottom = "└○───○┘";
        for (int k = 0; k < top.Length; k++)
        {
            int col = pivot - CartHalfWidth + k;
            if (col < 0 || col >= grid.GetLength(1))
                continue;
            grid[PoleRows, col] = new Cell(top[k], top[k] == '●' ? PivotColor : CartColor);
            grid[PoleRows + 1, col] = new Cell(bottom[k], CartColor);
        }
    }

    private static void DrawTrack(Cell[,] grid, int width)
    {
        int row = PoleRows + 2;
        for (int c = 0; c < width; c++)
            grid[row, c] = new Cell(c == 0 || c == width - 1 ? '╫' : '═', null);
    }

    private static void AppendRow(StringBuilder sb, Cell[,] grid, int r, bool color)
    {
        int last = grid.GetLength(1) - 1;
        while (last >= 0 && grid[r, last].Glyph == ' ')
            last--;
        string? current = null;
        for (int c = 0; c <= last; c++)
        {
            var cell = grid[r, c];
            if (color && cell.Color != current)
            {
                sb.Append(cell.Color ?? Reset);
                current = cell.Color;
            }
            sb.Append(cell.Glyph);
        }
        if (color && current != null)
            sb.Append(Reset);
        sb.Append('\n');
    }

    private static string Status(CartPoleState s, int? step, bool ended)
    {
        var inv = CultureInfo.InvariantCulture;
        string prefix = step is { } k ? string.Create(inv, $"step {k,3}  ") : "";
        string end = ended ? "  (beyond the limits)" : "";
        return string.Create(inv,
            $"{prefix}x {SignedNumber.Format(s.X, 3),7}  ẋ {SignedNumber.Format(s.XDot, 3),7}  θ {SignedNumber.Format(s.Theta * 180 / Math.PI, 2),7}°  θ̇ {SignedNumber.Format(s.ThetaDot, 3),7}{end}");
    }

    private readonly record struct Cell(char Glyph, string? Color);
}
