using System.Runtime.Intrinsics;

namespace TinyTorch.Kernels.Simd;

/// <summary>
/// The vector width a kernel runs at. Kernels pick <see cref="VectorWidths.Best"/>; tests force each width to hold
/// every body to a plain twin on any machine (a width the CPU lacks is emulated by the runtime, exactly).
/// </summary>
internal enum VectorWidth
{
    /// <summary>One float at a time (<see cref="Lanes1"/>).</summary>
    Scalar = 32,

    /// <summary>4 floats (<see cref="Lanes128"/>): SSE, Arm64 AdvSimd.</summary>
    Bits128 = 128,

    /// <summary>8 floats (<see cref="Lanes256"/>): AVX.</summary>
    Bits256 = 256,

    /// <summary>16 floats (<see cref="Lanes512"/>): AVX-512.</summary>
    Bits512 = 512,
}

/// <summary>The widest vector width this machine runs in hardware, chosen as TensorPrimitives does: 512 → 256 → 128 → scalar.</summary>
internal static class VectorWidths
{
    public static VectorWidth Best { get; } =
        Vector512.IsHardwareAccelerated ? VectorWidth.Bits512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Bits256
        : Vector128.IsHardwareAccelerated ? VectorWidth.Bits128
        : VectorWidth.Scalar;
}
