namespace TinyTorch;

/// <summary>
/// One node of an <see cref="AutogradGraph"/>: a tensor, labelled by the op that produced it (its
/// <see cref="GradFn.Name"/>) or, for a leaf, by the name the caller gave it.
/// </summary>
public sealed class GraphNode
{
    internal GraphNode(int id, Tensor tensor, GraphNodeKind kind, string label)
    {
        Id = id;
        Tensor = tensor;
        Kind = kind;
        Label = label;
    }

    /// <summary>The node's index in <see cref="AutogradGraph.Nodes"/> (inputs come before the ops that read them).</summary>
    public int Id { get; }

    /// <summary>The tensor this node stands for.</summary>
    public Tensor Tensor { get; }

    /// <summary>An op's output, a leaf that requires grad, or a constant.</summary>
    public GraphNodeKind Kind { get; }

    /// <summary>The op's name (<c>GatherBackward</c>), the leaf's name (<c>0.weight</c>), or <c>leaf</c>/<c>constant</c>.</summary>
    public string Label { get; }

    /// <summary>The tensor's shape, as <see cref="Tensor.FormatShape"/> prints it.</summary>
    public string Shape => Tensor.FormatShape(Tensor.Shape);

    /// <summary>
    /// ‖∂L/∂tensor‖₂ = √(Σ g²), summed in double, once a backward pass has left a gradient on the tensor (always on
    /// leaves; on ops only when <see cref="AutogradGraph.RetainGrads"/> was called before backward); null otherwise.
    /// </summary>
    public double? GradNorm
    {
        get
        {
            if (Tensor.Grad is not { } grad)
                return null;
            double sum = 0;
            foreach (float g in grad.AsSpan())
                sum += (double)g * g;
            return Math.Sqrt(sum);
        }
    }
}
