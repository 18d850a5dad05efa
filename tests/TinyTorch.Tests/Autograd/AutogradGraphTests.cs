using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using TinyTorch.Nn;

namespace TinyTorch.Tests.Autograd;

/// <summary>
/// <see cref="AutogradGraph"/>: the traced nodes and edges of a DQN-style update (Linear, ReLU, gather, Huber loss
/// against a target computed without a graph), its DOT text read back by a small parser, its SVG read as XML, and the
/// gradient norms against ones worked out by hand.
/// </summary>
public partial class AutogradGraphTests
{
    private const int Batch = 5;

    /// <summary>Q(s, ·) = MLP(s), Q(s, a) = gather, y = r + γ·max Q_target(s′) under NoGrad, L = Huber(Q(s, a), y).</summary>
    private static (AutogradGraph Graph, Tensor Loss, Sequential Net) TraceUpdate()
    {
        var rng = new Rng(7);
        var net = new Sequential(new Linear(4, 8, rng), new ReLU(), new Linear(8, 2, rng));
        var target = new Sequential(new Linear(4, 8, rng), new ReLU(), new Linear(8, 2, rng));
        Tensor obs = Torch.Randn(rng, Batch, 4), nextObs = Torch.Randn(rng, Batch, 4);
        int[] actions = [0, 1, 1, 0, 1];
        Tensor y;
        using (Torch.NoGrad())
            y = 1f + 0.9f * target.Forward(nextObs).Max(1).Values;
        Tensor loss = net.Forward(obs).Gather(1, actions).SmoothL1Loss(y, 1f);
        var graph = AutogradGraph.Trace(loss, [.. net.NamedParameters(), ("obs", obs)]).RetainGrads();
        return (graph, loss, net);
    }

    [Test]
    public void TheTraceHoldsEveryOpLeafAndConstantOfTheUpdate()
    {
        var (graph, _, _) = TraceUpdate();
        string[] labels = [.. graph.Nodes.Select(n => $"{n.Kind} {n.Label} {n.Shape}")];
        Assert.That(labels, Is.EquivalentTo(new[]
        {
            "Constant obs [5, 4]", "Leaf 0.weight [8, 4]", "Leaf 0.bias [8]", "Op AddmmBackward [5, 8]", "Op ReluBackward [5, 8]",
            "Leaf 2.weight [2, 8]", "Leaf 2.bias [2]", "Op AddmmBackward [5, 2]", "Op GatherBackward [5]",
            "Constant constant [5]", "Op SmoothL1LossBackward []",
        }));
        Assert.That(graph.Root.Label, Is.EqualTo("SmoothL1LossBackward"));
        // 3 edges into each Linear, then relu, gather, and the loss's two inputs (prediction, target).
        Assert.That(graph.Edges, Has.Count.EqualTo(3 + 1 + 3 + 1 + 2));
        foreach (var (from, to) in graph.Edges)
            Assert.That(from, Is.LessThan(to), "inputs come before the ops that read them");
    }

    [Test]
    public void DotIsADigraphNamingTheOpsWithShapesAndEdgesBetweenDeclaredNodes()
    {
        var (graph, loss, _) = TraceUpdate();
        loss.Backward();
        var (nodes, edges) = ParseDot(graph.ToDot());

        Assert.That(nodes, Has.Count.EqualTo(graph.Nodes.Count));
        Assert.That(nodes.Values, Has.Some.StartsWith("GatherBackward\n[5]\n"));
        Assert.That(nodes.Values, Has.Some.StartsWith("ReluBackward\n[5, 8]\n"));
        Assert.That(nodes.Values, Has.Some.StartsWith("SmoothL1LossBackward\n[]\n"));
        Assert.That(nodes.Values, Has.Some.StartsWith("0.weight\n[8, 4]\n"));
        Assert.That(nodes.Values, Has.Some.EqualTo("constant\n[5]\nno grad"));
        Assert.That(edges, Has.Count.EqualTo(graph.Edges.Count));
        foreach (var (from, to) in edges)
            Assert.That(nodes.ContainsKey(from) && nodes.ContainsKey(to), $"edge {from} -> {to} joins declared nodes");
    }

    [Test]
    public void SvgIsXmlWithOneGroupPerNodeAndAPathPerEdge()
    {
        var (graph, loss, _) = TraceUpdate();
        loss.Backward();
        XDocument svg = XDocument.Parse(graph.ToSvg());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.That(svg.Root!.Name, Is.EqualTo(ns + "svg"));
        var groups = svg.Descendants(ns + "g").Where(g => ((string?)g.Attribute("class"))?.StartsWith("node", StringComparison.Ordinal) == true).ToList();
        Assert.That(groups, Has.Count.EqualTo(graph.Nodes.Count));
        Assert.That(svg.Descendants(ns + "path").Count(p => (string?)p.Attribute("class") == "edge"), Is.EqualTo(graph.Edges.Count));
        var firstLines = groups.Select(g => g.Elements(ns + "text").First().Value).ToList();
        Assert.That(firstLines, Does.Contain("GatherBackward").And.Contain("ReluBackward").And.Contain("SmoothL1LossBackward").And.Contain("2.bias"));
        Assert.That(groups.Count(g => ((string)g.Attribute("class")!).Contains("constant", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public void TheLayoutPutsEveryInputLeftOfItsConsumerAndTheRootRightmost()
    {
        var (graph, _, _) = TraceUpdate();
        int[] column = GraphSvg.Columns(graph);
        foreach (var (from, to) in graph.Edges)
            Assert.That(column[from], Is.LessThan(column[to]));
        Assert.That(column[graph.Root.Id], Is.EqualTo(column.Max()));
    }

    [Test]
    public void NormsAreTheGradientsNormsWorkedOutByHand()
    {
        // L = Σ zᵢ² with z = w ⊙ x and x a constant: ∂L/∂z = 2z = 2w⊙x, ∂L/∂w = 2z ⊙ x.
        double[] w = [0.5, -1.25, 2], x = [3, 0.5, -1.5];
        Tensor wt = Torch.FromArray([.. w.Select(v => (float)v)]).RequiresGrad_();
        Tensor xt = Torch.FromArray([.. x.Select(v => (float)v)]);
        Tensor z = wt * xt;
        Tensor squares = z * z;
        Tensor loss = squares.Sum();
        var graph = AutogradGraph.Trace(loss, [("w", wt)]).RetainGrads();
        Assert.That(graph.Nodes.All(n => n.GradNorm is null), "no gradient before backward");
        loss.Backward();

        double[] dz = [.. w.Select((wi, i) => 2 * wi * x[i])];
        double[] dw = [.. dz.Select((d, i) => d * x[i])];
        var expected = new Dictionary<Tensor, double>(ReferenceEqualityComparer.Instance)
        {
            [wt] = Norm(dw),
            [z] = Norm(dz),
            [squares] = Math.Sqrt(3),  // ∂Σs/∂s = 1 for each of the 3 elements
            [loss] = 1,
        };
        var (nodes, _) = ParseDot(graph.ToDot());
        Assert.That(graph.Nodes.Count(n => n.Kind != GraphNodeKind.Constant), Is.EqualTo(expected.Count));
        foreach (GraphNode node in graph.Nodes.Where(n => n.Kind != GraphNodeKind.Constant))
        {
            double want = expected[node.Tensor];
            Assert.That(node.GradNorm, Is.EqualTo(want).Within(1e-5).Percent, node.Label);
            string printed = nodes[$"n{node.Id}"].Split('\n')[2];
            Assert.That(double.Parse(printed["‖grad‖ = ".Length..], CultureInfo.InvariantCulture), Is.EqualTo(want).Within(0.05).Percent, printed);
        }
    }

    [Test]
    public void AnUnnamedLeafIsLabelledLeaf()
    {
        Tensor a = Torch.FromArray([1f, 2f]).RequiresGrad_();
        var graph = AutogradGraph.Trace((a * 2f).Sum());
        Assert.That(graph.Nodes[0].Label, Is.EqualTo("leaf"));
        Assert.That(graph.Nodes[0].Kind, Is.EqualTo(GraphNodeKind.Leaf));
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(e => e * e));

    /// <summary>
    /// Reads the subset of DOT that <see cref="AutogradGraph.ToDot"/> promises: a <c>digraph</c> whose statements are
    /// node declarations <c>id [label="..." ...];</c> and edges <c>a -> b;</c>, with balanced braces.
    /// </summary>
    private static (Dictionary<string, string> Nodes, List<(string From, string To)> Edges) ParseDot(string dot)
    {
        Assert.That(dot, Does.StartWith("digraph "));
        Assert.That(dot.Count(c => c == '{'), Is.EqualTo(dot.Count(c => c == '}')), "balanced braces");
        var nodes = new Dictionary<string, string>();
        var edges = new List<(string, string)>();
        foreach (Match m in NodeStatement().Matches(dot))
            nodes.Add(m.Groups[1].Value, m.Groups[2].Value.Replace("\\n", "\n", StringComparison.Ordinal));
        foreach (Match m in EdgeStatement().Matches(dot))
            edges.Add((m.Groups[1].Value, m.Groups[2].Value));
        return (nodes, edges);
    }

    [GeneratedRegex("""^\s*(\w+) \[label="((?:[^"\\]|\\.)*)"[^\]]*\];$""", RegexOptions.Multiline)]
    private static partial Regex NodeStatement();

    [GeneratedRegex(@"^\s*(\w+) -> (\w+);$", RegexOptions.Multiline)]
    private static partial Regex EdgeStatement();
}
