using TinyTorch.Kernels;

namespace TinyTorch.Tests.Kernels;

/// <summary>The three products of <see cref="MatMul"/>, named by what multiplies what.</summary>
public enum MatMulForm
{
    /// <summary>C = A·B, A stored [m,k], B stored [k,n].</summary>
    AB,

    /// <summary>C = Aᵀ·B, A stored [k,m], B stored [k,n].</summary>
    AtB,

    /// <summary>C = A·Bᵀ, A stored [m,k], B stored [n,k].</summary>
    ABt,
}
