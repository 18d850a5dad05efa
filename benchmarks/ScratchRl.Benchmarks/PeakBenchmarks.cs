using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using ScratchRl.Benchmarks.Columns;

namespace ScratchRl.Benchmarks;

/// <summary>
/// The FP32 ceiling of one core: independent FMA chains held in registers, no memory traffic, a call-free loop body
/// (RyuJIT spills accumulators that live across a call). The chains cover FMA latency × FMA units with room to spare,
/// so the loop runs at the FMA issue rate: 24 for 512 bits (AVX-512 has 32 registers); 12 for 256 and 128 bits, whose
/// kernels may have only 16 registers (an AVX2 CPU, or AVX-512 switched off): 12 chains and the two operands fit them,
/// where 24 would spill and understate the ceiling. The 256-bit version is the ceiling of the AVX2 kernel, the 128-bit
/// version (cross-platform Vector128, fused where the CPU has FMA, as the 128-bit kernel computes) the ceiling of that
/// one. The 256- and 128-bit chains are a ← a·x + y: without FMA a·x depends on a, so the product cannot be hoisted out
/// of the loop and every step costs the multiply and the add that the kernel pays.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class PeakBenchmarks : IFlopCount
{
    private const int Iterations = 1_000_000;
    private const int Chains512 = 24, Chains = 12;

    /// <summary>Each iteration: 24 FMAs of 16 lanes, or 12 of 8 or 4 lanes, 2 FLOPs per lane.</summary>
    public double Flops(string benchmark) => (double)Iterations * 2 * benchmark switch
    {
        nameof(Fma512) => Chains512 * 16,
        nameof(Fma128) => Chains * 4,
        _ => Chains * 8,
    };

    /// <summary>
    /// Whether this CPU runs the kernel <paramref name="method"/> (one of this class's benchmarks): a kernel the CPU
    /// lacks returns at once, and its "throughput" is no ceiling.
    /// </summary>
    public static bool IsMeasured(string method) => method switch
    {
        nameof(Fma512) => Avx512F.IsSupported,
        nameof(Fma256) => Fma.IsSupported,
        nameof(Fma128) => Vector128.IsHardwareAccelerated,
        _ => false,
    };

    [Benchmark(Baseline = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Fma512()
    {
        if (!IsMeasured(nameof(Fma512)))
            return float.NaN;
        // x·y ≈ 1, so each chain grows by about 1 per step: no overflow, no denormals.
        Vector512<float> x = Vector512.Create(1.0000001f), y = Vector512.Create(0.9999999f);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector512<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        Vector512<float> a12 = default, a13 = default, a14 = default, a15 = default, a16 = default, a17 = default;
        Vector512<float> a18 = default, a19 = default, a20 = default, a21 = default, a22 = default, a23 = default;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(x, y, a0); a1 = Avx512F.FusedMultiplyAdd(x, y, a1);
            a2 = Avx512F.FusedMultiplyAdd(x, y, a2); a3 = Avx512F.FusedMultiplyAdd(x, y, a3);
            a4 = Avx512F.FusedMultiplyAdd(x, y, a4); a5 = Avx512F.FusedMultiplyAdd(x, y, a5);
            a6 = Avx512F.FusedMultiplyAdd(x, y, a6); a7 = Avx512F.FusedMultiplyAdd(x, y, a7);
            a8 = Avx512F.FusedMultiplyAdd(x, y, a8); a9 = Avx512F.FusedMultiplyAdd(x, y, a9);
            a10 = Avx512F.FusedMultiplyAdd(x, y, a10); a11 = Avx512F.FusedMultiplyAdd(x, y, a11);
            a12 = Avx512F.FusedMultiplyAdd(x, y, a12); a13 = Avx512F.FusedMultiplyAdd(x, y, a13);
            a14 = Avx512F.FusedMultiplyAdd(x, y, a14); a15 = Avx512F.FusedMultiplyAdd(x, y, a15);
            a16 = Avx512F.FusedMultiplyAdd(x, y, a16); a17 = Avx512F.FusedMultiplyAdd(x, y, a17);
            a18 = Avx512F.FusedMultiplyAdd(x, y, a18); a19 = Avx512F.FusedMultiplyAdd(x, y, a19);
            a20 = Avx512F.FusedMultiplyAdd(x, y, a20); a21 = Avx512F.FusedMultiplyAdd(x, y, a21);
            a22 = Avx512F.FusedMultiplyAdd(x, y, a22); a23 = Avx512F.FusedMultiplyAdd(x, y, a23);
        }
        // Return every chain so none is dead code.
        Vector512<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11))
            + ((a12 + a13) + (a14 + a15)) + ((a16 + a17) + (a18 + a19)) + ((a20 + a21) + (a22 + a23));
        return Vector512.Sum(sum);
    }

    [Benchmark]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Fma256()
    {
        if (!IsMeasured(nameof(Fma256)))
            return float.NaN;
        // a ← a·x + y with x just below 1 tends to y / (1 − x) = 10⁷: no overflow, no denormals.
        Vector256<float> x = Vector256.Create(0.9999999f), y = Vector256.Create(1f);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, x, y); a1 = Fma.MultiplyAdd(a1, x, y); a2 = Fma.MultiplyAdd(a2, x, y);
            a3 = Fma.MultiplyAdd(a3, x, y); a4 = Fma.MultiplyAdd(a4, x, y); a5 = Fma.MultiplyAdd(a5, x, y);
            a6 = Fma.MultiplyAdd(a6, x, y); a7 = Fma.MultiplyAdd(a7, x, y); a8 = Fma.MultiplyAdd(a8, x, y);
            a9 = Fma.MultiplyAdd(a9, x, y); a10 = Fma.MultiplyAdd(a10, x, y); a11 = Fma.MultiplyAdd(a11, x, y);
        }
        Vector256<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
        return Vector256.Sum(sum);
    }

    [Benchmark]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Fma128()
    {
        if (!IsMeasured(nameof(Fma128)))
            return float.NaN;
        Vector128<float> x = Vector128.Create(0.9999999f), y = Vector128.Create(1f);
        Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector128<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Vector128.MultiplyAddEstimate(a0, x, y); a1 = Vector128.MultiplyAddEstimate(a1, x, y);
            a2 = Vector128.MultiplyAddEstimate(a2, x, y);
            a3 = Vector128.MultiplyAddEstimate(a3, x, y); a4 = Vector128.MultiplyAddEstimate(a4, x, y);
            a5 = Vector128.MultiplyAddEstimate(a5, x, y);
            a6 = Vector128.MultiplyAddEstimate(a6, x, y); a7 = Vector128.MultiplyAddEstimate(a7, x, y);
            a8 = Vector128.MultiplyAddEstimate(a8, x, y);
            a9 = Vector128.MultiplyAddEstimate(a9, x, y); a10 = Vector128.MultiplyAddEstimate(a10, x, y);
            a11 = Vector128.MultiplyAddEstimate(a11, x, y);
        }
        Vector128<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
        return Vector128.Sum(sum);
    }
}
