namespace TinyTorch;

/// <summary>The autograd half of <see cref="Tensor"/>: leaves, gradients, graph recording and <see cref="Backward"/>.</summary>
public sealed partial class Tensor
{
    private bool _requiresGrad;

    /// <summary>Whether gradients flow to this tensor. Set it on leaves (parameters, inputs you differentiate by).</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!value && GradFn is not null)
                throw new InvalidOperationException("RequiresGrad cannot be turned off on a tensor produced by an op; use Detach().");
            _requiresGrad = value;
        }
    }

    /// <summary>∂L/∂this after <see cref="Backward"/>: accumulated (+=) on leaves, as in PyTorch.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The op that produced this tensor; null for leaves.</summary>
    public GradFn? GradFn { get; private set; }

    /// <summary>True for a tensor no op produced (parameters, inputs): PyTorch's <c>is_leaf</c>.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Keep <see cref="Grad"/> on this non-leaf after backward (PyTorch's <c>retain_grad()</c>).</summary>
    public bool RetainsGrad { get; private set; }

    /// <summary>Keeps <see cref="Grad"/> on this non-leaf after backward (PyTorch's <c>retain_grad()</c>); returns this tensor.</summary>
    public Tensor RetainGrad()
    {
        RetainsGrad = true;
        return this;
    }

    /// <summary>Fluent <c>requires_grad_()</c>.</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>The same values (shared storage) cut out of the graph.</summary>
    public Tensor Detach() => new(Data, _shape);

    /// <summary>Sets <see cref="Grad"/> to zero in place (or leaves it null when it was never set).</summary>
    public void ZeroGrad() => Grad?.AsSpan().Clear();

    /// <summary>
    /// Back-propagates from this tensor. Without <paramref name="gradient"/> the tensor must hold one
    /// element and ∂L/∂L = 1 seeds the pass. Visits the graph in reverse topological order so that every
    /// node's gradient is complete before its own backward rule runs.
    /// </summary>
    public void Backward(Tensor? gradient = null)
    {
        if (!RequiresGrad)
            throw new InvalidOperationException("Backward() on a tensor that does not require grad: no input of its graph has RequiresGrad set.");
        if (gradient is null && Count != 1)
            throw new InvalidOperationException($"Backward() without a gradient needs a one-element tensor, got shape {FormatShape(_shape)}; pass the gradient or reduce with Sum()/Mean() first.");
        if (gradient is not null)
            ShapeCheck.Same("backward", this, gradient);

        List<Tensor> order = TopologicalOrder();
        foreach (Tensor t in order)
            if (!t.IsLeaf)
                t.Grad = null;

        if (gradient is null)
            AccumulateGrad(1f);
        else
            AccumulateGrad(gradient.Data);

        // The backward rules compute with plain spans; the scope only guarantees that nothing they
        // might build becomes part of a graph.
        using (Torch.NoGrad())
        {
            for (int i = order.Count - 1; i >= 0; i--)
            {
                Tensor t = order[i];
                if (t.GradFn is not null && t.Grad is not null)
                    t.GradFn.Backward(t.Grad);
            }
        }

        foreach (Tensor t in order)
            if (!t.IsLeaf && !t.RetainsGrad)
                t.Grad = null;
    }

    /// <summary>Inputs before outputs; this tensor last. Iterative DFS, so deep graphs cannot overflow the stack.</summary>
    private List<Tensor> TopologicalOrder()
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Node, int NextInput)>();
        stack.Push((this, 0));
        visited.Add(this);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            Tensor[] inputs = node.GradFn?.InputArray ?? [];
            if (next < inputs.Length)
            {
                stack.Push((node, next + 1));
                Tensor input = inputs[next];
                if (input.RequiresGrad && visited.Add(input))
                    stack.Push((input, 0));
            }
            else
            {
                order.Add(node);
            }
        }
        return order;
    }

    /// <summary>
    /// Makes <paramref name="result"/> a node of the graph when grad mode is on and any input requires grad.
    /// Every op ends with this call, passing its local gradient rule.
    /// </summary>
    internal static Tensor Record(Tensor result, string name, Action<Tensor> backward, params Tensor[] inputs)
    {
        if (!Torch.IsGradEnabled)
            return result;
        foreach (Tensor input in inputs)
        {
            if (input.RequiresGrad)
            {
                result.GradFn = new GradFn(name, inputs, backward);
                result._requiresGrad = true;
                return result;
            }
        }
        return result;
    }

    /// <summary>Grad += g (element-wise), allocating the gradient on first use. No-op when grad is not required.</summary>
    internal void AccumulateGrad(ReadOnlySpan<float> g)
    {
        if (!RequiresGrad)
            return;
        if (g.Length != Count)
            throw new InvalidOperationException($"Gradient of length {g.Length} for a tensor of shape {FormatShape(_shape)}.");
        if (Grad is null)
        {
            Grad = new Tensor(g.ToArray(), _shape);
            return;
        }
        System.Numerics.Tensors.TensorPrimitives.Add(Grad.Data, g, Grad.Data);
    }

    /// <summary>
    /// The storage of <see cref="Grad"/>, zero-filled on first use, for backward rules that accumulate
    /// straight into it (Grad += ...) instead of building a temporary. Only call it when <see cref="RequiresGrad"/>.
    /// </summary>
    internal Span<float> GradBuffer()
    {
        Grad ??= new Tensor(new float[Count], _shape);
        return Grad.Data;
    }

    /// <summary>Grad += g for every element (used to seed ∂L/∂L = 1 and for scalar broadcasts).</summary>
    internal void AccumulateGrad(float g)
    {
        if (!RequiresGrad)
            return;
        Grad ??= new Tensor(new float[Count], _shape);
        System.Numerics.Tensors.TensorPrimitives.Add(Grad.Data, g, Grad.Data);
    }
}
