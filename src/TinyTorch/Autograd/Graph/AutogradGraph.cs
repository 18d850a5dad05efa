using System.Globalization;
using System.Text;

namespace TinyTorch;

/// <summary>
/// The graph <see cref="Tensor.Backward"/> walks from a tensor, captured for drawing (as micrograd's <c>draw_dot</c> and
/// PyTorch's torchviz draw theirs): one node per tensor, labelled with the op that produced it and its shape, an edge
/// from each input to the op that read it. Leaves that require grad show the names the caller gives them
/// (<c>Sequential.NamedParameters()</c>); inputs without a gradient (data, targets computed under
/// <see cref="Torch.NoGrad"/>) are <see cref="GraphNodeKind.Constant"/> nodes, drawn dashed and apart from the rest. After
/// backward each node shows ‖∂L/∂node‖₂. Write it as Graphviz DOT (<see cref="ToDot"/>) or as an SVG the project lays out
/// itself (<see cref="ToSvg"/>, no Graphviz needed).
/// </summary>
public sealed class AutogradGraph
{
    private AutogradGraph(List<GraphNode> nodes, List<(int From, int To)> edges)
    {
        Nodes = nodes;
        Edges = edges;
    }

    /// <summary>Every node, inputs before the ops that read them; the traced tensor is last.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    /// <summary>Input → consumer, as indices into <see cref="Nodes"/>; one edge per distinct (input, consumer) pair.</summary>
    public IReadOnlyList<(int From, int To)> Edges { get; }

    /// <summary>The traced tensor's node (the loss, for an update).</summary>
    public GraphNode Root => Nodes[^1];

    /// <summary>
    /// Captures the graph that ends at <paramref name="root"/>. <paramref name="names"/> labels leaves (and constants)
    /// by reference, e.g. <c>network.NamedParameters()</c>; an unnamed leaf is <c>leaf</c>, an unnamed constant
    /// <c>constant</c>. The graph is read, never changed.
    /// </summary>
    /// <exception cref="ArgumentNullException">When <paramref name="root"/> is null.</exception>
    public static AutogradGraph Trace(Tensor root, IEnumerable<(string Name, Tensor Tensor)>? names = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var nameOf = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, tensor) in names ?? [])
            nameOf.TryAdd(tensor, name);

        // Depth-first, inputs first, so each node's id is smaller than its consumers' (iterative: deep graphs cannot overflow).
        var ids = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        var nodes = new List<GraphNode>();
        var stack = new Stack<(Tensor Tensor, int NextInput)>();
        var onStack = new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { root };
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (tensor, next) = stack.Pop();
            IReadOnlyList<Tensor> inputs = tensor.GradFn?.Inputs ?? [];
            if (next < inputs.Count)
            {
                stack.Push((tensor, next + 1));
                Tensor input = inputs[next];
                if (!ids.ContainsKey(input) && onStack.Add(input))
                    stack.Push((input, 0));
                continue;
            }
            var (kind, label) = tensor.GradFn is { } op ? (GraphNodeKind.Op, op.Name)
                : tensor.RequiresGrad ? (GraphNodeKind.Leaf, nameOf.GetValueOrDefault(tensor, "leaf"))
                : (GraphNodeKind.Constant, nameOf.GetValueOrDefault(tensor, "constant"));
            ids[tensor] = nodes.Count;
            nodes.Add(new GraphNode(nodes.Count, tensor, kind, label));
        }

        var edges = new List<(int From, int To)>();
        var seen = new HashSet<(int, int)>();
        foreach (GraphNode node in nodes)
            foreach (Tensor input in node.Tensor.GradFn?.Inputs ?? [])
                if (seen.Add((ids[input], node.Id)))
                    edges.Add((ids[input], node.Id));
        return new AutogradGraph(nodes, edges);
    }

    /// <summary>
    /// Keeps every op node's gradient after the next backward pass (<see cref="Tensor.RetainGrad"/>), so that
    /// <see cref="GraphNode.GradNorm"/> is known for all nodes, not only the leaves. Call it before <c>Backward()</c>.
    /// </summary>
    public AutogradGraph RetainGrads()
    {
        foreach (GraphNode node in Nodes)
            if (node.Kind == GraphNodeKind.Op)
                node.Tensor.RetainGrad();
        return this;
    }

    /// <summary>
    /// Graphviz DOT text (<c>dot -Tsvg</c> draws it): a left-to-right digraph, one box per node labelled with its name,
    /// shape and gradient norm; leaves filled blue, constants dashed grey in a cluster of their own.
    /// </summary>
    public string ToDot()
    {
        var dot = new StringBuilder(256 + 96 * Nodes.Count);
        dot.Append("digraph autograd {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11, fillcolor=\"#f4f4f4\"];\n");
        foreach (GraphNode node in Nodes)
            if (node.Kind != GraphNodeKind.Constant)
                AppendDotNode(dot, node, "  ");
        dot.Append("  subgraph cluster_no_grad {\n    label=\"no grad (constants)\";\n    style=dashed;\n    color=\"#999999\";\n    fontname=\"Helvetica\";\n");
        foreach (GraphNode node in Nodes)
            if (node.Kind == GraphNodeKind.Constant)
                AppendDotNode(dot, node, "    ");
        dot.Append("  }\n");
        foreach (var (from, to) in Edges)
            dot.Append(CultureInfo.InvariantCulture, $"  n{from} -> n{to};\n");
        dot.Append("}\n");
        return dot.ToString();
    }

    /// <summary>An SVG document drawn by <see cref="GraphSvg"/> (layered left to right, the root at the right).</summary>
    public string ToSvg() => GraphSvg.Render(this);

    /// <summary>The lines of a node's box: label, shape, and the gradient norm once there is one.</summary>
    internal static IReadOnlyList<string> LabelLines(GraphNode node)
    {
        var lines = new List<string> { node.Label, node.Shape };
        if (node.Kind == GraphNodeKind.Constant)
            lines.Add("no grad");
        else if (node.GradNorm is { } norm)
            lines.Add("‖grad‖ = " + FormatNorm(norm));
        return lines;
    }

    /// <summary>Four significant digits, invariant culture.</summary>
    public static string FormatNorm(double norm) => norm.ToString("G4", CultureInfo.InvariantCulture);

    private static void AppendDotNode(StringBuilder dot, GraphNode node, string indent)
    {
        string style = node.Kind switch
        {
            GraphNodeKind.Leaf => ", fillcolor=\"#cfe3f7\"",
            GraphNodeKind.Constant => ", style=\"rounded,dashed\", color=\"#999999\", fontcolor=\"#666666\"",
            _ => "",
        };
        string label = string.Join("\\n", LabelLines(node).Select(DotEscape));
        dot.Append(CultureInfo.InvariantCulture, $"{indent}n{node.Id} [label=\"{label}\"{style}];\n");
    }

    private static string DotEscape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
