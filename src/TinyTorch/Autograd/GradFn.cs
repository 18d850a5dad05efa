namespace TinyTorch;

/// <summary>
/// A node of the autograd graph: the op that produced a tensor, its inputs, and its local
/// gradient rule. <see cref="Backward"/> receives ∂L/∂output and adds ∂L/∂input into each input's
/// <see cref="Tensor.Grad"/> (chain rule: ∂L/∂input = ∂L/∂output · ∂output/∂input).
/// </summary>
public sealed class GradFn(string name, Tensor[] inputs, Action<Tensor> backward)
{
    /// <summary>The op's name as PyTorch prints it, e.g. <c>MmBackward</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The op's input tensors, in argument order.</summary>
    public IReadOnlyList<Tensor> Inputs => inputs;

    internal Tensor[] InputArray => inputs;

    internal void Backward(Tensor gradOutput) => backward(gradOutput);
}
