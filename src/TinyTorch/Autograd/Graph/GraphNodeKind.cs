namespace TinyTorch;

/// <summary>What a node of an <see cref="AutogradGraph"/> is.</summary>
public enum GraphNodeKind
{
    /// <summary>A tensor an op produced with a graph: its <see cref="GradFn"/> is drawn (<c>MulBackward</c>, …).</summary>
    Op,

    /// <summary>A leaf that requires grad: a parameter (named when the caller names it) or an input differentiated by.</summary>
    Leaf,

    /// <summary>An input that does not require grad (data, or a value computed under <see cref="Torch.NoGrad"/>): no gradient reaches it.</summary>
    Constant,
}
