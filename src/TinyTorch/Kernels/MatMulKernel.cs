namespace TinyTorch.Kernels;

/// <summary>The matmul implementations a user can pick by name (and benchmark against each other).</summary>
public enum MatMulKernel
{
    /// <summary>The textbook triple loop, scalar: the baseline everything is measured against.</summary>
    Naive,

    /// <summary>Portable <c>System.Numerics.Vector&lt;float&gt;</c> (8 lanes on AVX2 and on AVX-512 machines alike).</summary>
    VectorT,

    /// <summary>Explicit 256-bit AVX2 + FMA with packing, depth blocking and register blocking; without AVX2, <see cref="Vector128"/>.</summary>
    Vector256,

    /// <summary>
    /// Explicit 512-bit AVX-512 with packing, cache blocking and register blocking: the default, which falls back to
    /// <see cref="Vector256"/>, then <see cref="Vector128"/>, then <see cref="VectorT"/> on CPUs without those vectors.
    /// </summary>
    Vector512,

    /// <summary>Row-at-a-time products built on <c>TensorPrimitives</c>.</summary>
    TensorPrimitives,

    /// <summary>
    /// Cross-platform 128-bit vectors (SSE, Arm64 AdvSimd) with register blocking and FMA where the CPU has it: what
    /// <see cref="Vector512"/> and <see cref="Vector256"/> fall back to on CPUs without AVX2.
    /// </summary>
    Vector128,
}
