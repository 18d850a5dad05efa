using System.Globalization;
using System.Security;
using System.Text;

namespace TinyTorch;

/// <summary>
/// Draws an <see cref="AutogradGraph"/> as a standalone SVG with its own layered layout (Sugiyama's scheme, kept
/// small): each node's column is the longest path from it to the root, so the root sits at the right and every input
/// left of the ops that read it; then a few sweeps order each column by the barycentre (mean row) of its neighbours in
/// the columns already placed, which untangles most crossings of these tree-like graphs.
/// </summary>
internal static class GraphSvg
{
    private const double LineHeight = 15, PaddingX = 10, PaddingY = 8, ColumnGap = 56, RowGap = 18, Margin = 16, CharWidth = 6.8;
    private const int Sweeps = 4;

    public static string Render(AutogradGraph graph)
    {
        var nodes = graph.Nodes;
        int[] column = Columns(graph);
        List<int>[] columns = Order(graph, column);

        var lines = new IReadOnlyList<string>[nodes.Count];
        var width = new double[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            lines[i] = AutogradGraph.LabelLines(nodes[i]);
            width[i] = lines[i].Max(l => l.Length) * CharWidth + 2 * PaddingX;
        }
        double boxHeight = 3 * LineHeight + 2 * PaddingY;
        int tallest = columns.Max(c => c.Count);
        double height = 2 * Margin + tallest * boxHeight + (tallest - 1) * RowGap;

        // x: each column as wide as its widest box; y: each column centred vertically.
        var x = new double[nodes.Count];
        var y = new double[nodes.Count];
        double left = Margin;
        foreach (List<int> members in columns)
        {
            double columnWidth = members.Count == 0 ? 0 : members.Max(n => width[n]);
            double top = (height - (members.Count * boxHeight + (members.Count - 1) * RowGap)) / 2;
            for (int r = 0; r < members.Count; r++)
            {
                int n = members[r];
                x[n] = left + (columnWidth - width[n]) / 2;
                y[n] = top + r * (boxHeight + RowGap);
            }
            left += columnWidth + ColumnGap;
        }
        double totalWidth = left - ColumnGap + Margin;

        var svg = new StringBuilder(1024 + 512 * nodes.Count);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(totalWidth)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(totalWidth)} {F(height)}\" ")
            .Append("font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
            .Append(CultureInfo.InvariantCulture, $"<rect width=\"{F(totalWidth)}\" height=\"{F(height)}\" fill=\"#ffffff\"/>\n")
            .Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
            .Append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#666\"/></marker></defs>\n");
        foreach (var (from, to) in graph.Edges)
        {
            double x1 = x[from] + width[from], y1 = y[from] + boxHeight / 2, x2 = x[to], y2 = y[to] + boxHeight / 2;
            double bend = Math.Max(24, (x2 - x1) / 2);
            string dash = nodes[from].Kind == GraphNodeKind.Constant ? " stroke-dasharray=\"4 3\"" : "";
            svg.Append(CultureInfo.InvariantCulture,
                $"<path class=\"edge\" d=\"M{F(x1)},{F(y1)} C{F(x1 + bend)},{F(y1)} {F(x2 - bend)},{F(y2)} {F(x2)},{F(y2)}\" fill=\"none\" stroke=\"#888\" stroke-width=\"1.2\"{dash} marker-end=\"url(#arrow)\"/>\n");
        }
        for (int i = 0; i < nodes.Count; i++)
            AppendNode(svg, nodes[i], lines[i], x[i], y[i], width[i], boxHeight, ReferenceEquals(nodes[i], graph.Root));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Column of each node: (longest path to the root, in edges) counted from the left.</summary>
    internal static int[] Columns(AutogradGraph graph)
    {
        var depth = new int[graph.Nodes.Count];
        var inputsOf = InputsOf(graph);
        // Consumers have larger ids than their inputs, so a node's depth is final before it is passed on.
        for (int n = graph.Nodes.Count - 1; n >= 0; n--)
            foreach (int input in inputsOf[n])
                depth[input] = Math.Max(depth[input], depth[n] + 1);
        int deepest = depth.Max();
        return [.. depth.Select(d => deepest - d)];
    }

    /// <summary>The nodes of each column, top to bottom, after <see cref="Sweeps"/> barycentre sweeps (alternately left to right and back).</summary>
    private static List<int>[] Order(AutogradGraph graph, int[] column)
    {
        int columnCount = column.Max() + 1;
        var columns = new List<int>[columnCount];
        for (int c = 0; c < columnCount; c++)
            columns[c] = [];
        for (int n = 0; n < column.Length; n++)
            columns[column[n]].Add(n);

        var neighbours = new List<int>[column.Length];
        for (int n = 0; n < column.Length; n++)
            neighbours[n] = [];
        foreach (var (from, to) in graph.Edges)
        {
            neighbours[from].Add(to);
            neighbours[to].Add(from);
        }
        var row = new double[column.Length];
        Place(columns, row);
        for (int sweep = 0; sweep < Sweeps; sweep++)
        {
            bool rightward = sweep % 2 == 0;
            for (int k = 0; k < columnCount; k++)
            {
                int c = rightward ? k : columnCount - 1 - k;
                var barycentre = new Dictionary<int, double>();
                foreach (int n in columns[c])
                {
                    // Neighbours on the side already placed in this sweep; a node with none keeps its row.
                    double sum = 0;
                    int count = 0;
                    foreach (int m in neighbours[n])
                    {
                        if (rightward ? column[m] < c : column[m] > c)
                        {
                            sum += row[m];
                            count++;
                        }
                    }
                    barycentre[n] = count == 0 ? row[n] : sum / count;
                }
                columns[c] = [.. columns[c].OrderBy(n => barycentre[n]).ThenBy(n => row[n])];
                Place(columns, row);
            }
        }
        return columns;
    }

    /// <summary>Row of each node, centred on 0 within its column, so columns of different sizes line up around the middle.</summary>
    private static void Place(List<int>[] columns, double[] row)
    {
        foreach (List<int> members in columns)
            for (int r = 0; r < members.Count; r++)
                row[members[r]] = r - (members.Count - 1) / 2.0;
    }

    private static List<int>[] InputsOf(AutogradGraph graph)
    {
        var inputs = new List<int>[graph.Nodes.Count];
        for (int n = 0; n < inputs.Length; n++)
            inputs[n] = [];
        foreach (var (from, to) in graph.Edges)
            inputs[to].Add(from);
        return inputs;
    }

    private static void AppendNode(StringBuilder svg, GraphNode node, IReadOnlyList<string> lines, double x, double y, double width, double height, bool root)
    {
        var (fill, stroke, text, dash) = node.Kind switch
        {
            GraphNodeKind.Leaf => ("#cfe3f7", "#1f5fa8", "#10325a", ""),
            GraphNodeKind.Constant => ("#ffffff", "#999999", "#666666", " stroke-dasharray=\"5 3\""),
            _ => root ? ("#fde2c4", "#c46a00", "#222222", "") : ("#f4f4f4", "#555555", "#222222", ""),
        };
        string kind = node.Kind.ToString().ToLowerInvariant();
        svg.Append(CultureInfo.InvariantCulture, $"<g class=\"node {kind}\" id=\"node-{node.Id}\"><title>{Escape(string.Join(", ", lines))}</title>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(width)}\" height=\"{F(height)}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.3\"{dash}/>");
        double centre = x + width / 2, first = y + height / 2 - (lines.Count - 1) * LineHeight / 2 + 4;
        for (int i = 0; i < lines.Count; i++)
        {
            string weight = i == 0 ? " font-weight=\"bold\"" : "";
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{F(centre)}\" y=\"{F(first + i * LineHeight)}\" text-anchor=\"middle\" fill=\"{text}\"{weight}>{Escape(lines[i])}</text>");
        }
        svg.Append("</g>\n");
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}
