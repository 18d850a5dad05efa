namespace TinyTorch;

/// <summary>How a loss reduces its per-element values, PyTorch's <c>reduction</c> argument.</summary>
public enum Reduction
{
    /// <summary><c>'none'</c>: the per-element losses, shaped like the input.</summary>
    None,

    /// <summary><c>'mean'</c> (the default): (1/n)·Σᵢ ℓᵢ, a 0-dim tensor.</summary>
    Mean,

    /// <summary><c>'sum'</c>: Σᵢ ℓᵢ, a 0-dim tensor.</summary>
    Sum,
}
