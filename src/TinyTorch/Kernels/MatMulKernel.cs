namespace TinyTorch.Kernels;

/// <summary>The matmul implementations a user can pick by name (and benchmark against each other).</summary>
public enum MatMulKernel
{
    /// <summary>The textbook triple loop, scalar: the baseline everything is measured against.</summary>
    Naive,

    /// <summary>Portable <c>System.Numerics.Vector&lt;float&gt;</c> (8 lanes on AVX2 and on AVX-512 machines alike).</summary>
    VectorT,

    /// <summary>Explicit 256-bit AVX2 + FMA with register blocking.</summary>
    Vector256,

    /// <summary>Explicit 512-bit AVX-512 with packing, cache blocking and register blocking: the fast default.</summary>
    Vector512,

    /// <summary>Row-at-a-time products built on <c>TensorPrimitives</c>.</summary>
    TensorPrimitives,
}
