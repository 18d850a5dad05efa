namespace TinyTorch.Nn;

/// <summary>max(x, 0) element-wise (PyTorch's <c>nn.ReLU</c>); no parameters, so it adds no state-dict keys.</summary>
public sealed class ReLU : Module
{
    /// <summary>max(0, x) element-wise; any shape.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Relu();
    }
}
