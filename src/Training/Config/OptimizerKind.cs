namespace Training.Config;

/// <summary>The optimizer that applies the gradients, with PyTorch's default settings besides the learning rate.</summary>
public enum OptimizerKind
{
    /// <summary><c>torch.optim.Adam</c>: β = (0.9, 0.999), ε = 1e-8.</summary>
    Adam,

    /// <summary>Plain <c>torch.optim.SGD</c>: θ ← θ − lr · ∇θ.</summary>
    Sgd,
}
