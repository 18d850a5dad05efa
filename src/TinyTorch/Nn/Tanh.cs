namespace TinyTorch.Nn;

/// <summary>tanh(x) element-wise (PyTorch's <c>nn.Tanh</c>); no parameters, so it adds no state-dict keys.</summary>
public sealed class Tanh : Module
{
    /// <summary>y = tanh(x), any shape.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Tanh();
    }
}
