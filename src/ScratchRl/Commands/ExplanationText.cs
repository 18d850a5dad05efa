using System.Globalization;
using System.Text;

namespace ScratchRl.Commands;

/// <summary>
/// The plain-text pieces of an <c>--explain</c> walkthrough: numbers to 7 significant digits or in full (the shortest
/// form that reads back as the same float, so it can be compared with PyTorch's), and right-aligned tables.
/// </summary>
internal static class ExplanationText
{
    /// <summary>7 significant digits, exponent written as Python does (1e-08); −0 as 0.</summary>
    public static string Num(double value) => value == 0 ? "0" : Lower(value.ToString("G7", CultureInfo.InvariantCulture));

    /// <summary>A right-hand factor of a product: negative ones in parentheses.</summary>
    public static string Factor(double value) => value < 0 ? $"({Num(value)})" : Num(value);

    /// <summary>The shortest form that reads back as the same float.</summary>
    public static string Full(float value) => Lower(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The shortest form that reads back as the same double.</summary>
    public static string Full(double value) => Lower(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>An integer, invariant culture.</summary>
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>"(N more rows; --explain-rows N shows more)" when rows were left out, else null.</summary>
    public static string? More(int total, int shown) => total > shown ? $"({total - shown} more rows; --explain-rows N shows more)" : null;

    /// <summary>Label and value lines, the values aligned in one column.</summary>
    public static void WriteAligned(TextWriter output, IReadOnlyList<(string Label, string Value)> lines)
    {
        int width = lines.Max(l => Width(l.Label));
        foreach (var (label, value) in lines)
            output.WriteLine($"   {PadRight(label, width)}  {value}");
    }

    /// <summary>A number's text with its exponent written as Python writes it (1e-08, not 1E-08).</summary>
    public static string Lower(string number) => number.Replace('E', 'e');

    /// <summary>Width on screen: m̂ is two chars (m and a combining circumflex) but one letter.</summary>
    private static int Width(string text) => new StringInfo(text).LengthInTextElements;

    private static string PadRight(string text, int width) => text + new string(' ', Math.Max(0, width - Width(text)));

    private static string PadLeft(string text, int width) => new string(' ', Math.Max(0, width - Width(text))) + text;

    /// <summary>Right-aligned plain-text columns, two spaces apart, indented under the numbered heading.</summary>
    public sealed class Table(string[] header)
    {
        private readonly List<string[]> _rows = [header];

        public void Add(string[] cells) => _rows.Add(cells);

        public void WriteTo(TextWriter output, string? footer)
        {
            var widths = new int[header.Length];
            foreach (string[] row in _rows)
                for (int c = 0; c < row.Length; c++)
                    widths[c] = Math.Max(widths[c], Width(row[c]));
            foreach (string[] row in _rows)
            {
                var line = new StringBuilder("  ");
                for (int c = 0; c < row.Length; c++)
                    line.Append("  ").Append(c == 0 ? PadRight(row[c], widths[c]) : PadLeft(row[c], widths[c]));
                output.WriteLine(line.ToString().TrimEnd());
            }
            if (footer is not null)
                output.WriteLine($"    {footer}");
        }
    }
}
