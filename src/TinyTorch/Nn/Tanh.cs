namespace TinyTorch.Nn;

/// <summary>tanh(x) element-wise (PyTorch's <c>nn.Tanh</c>); no parameters, so it adds no state-dict keys.</summary>
public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Tanh();
    }
}
