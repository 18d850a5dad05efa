using System.Runtime.InteropServices;
using TinyTorch.Kernels.Simd;

namespace TinyTorch.Optim;

/// <summary>
/// The element-wise Adam update of one parameter tensor in a single pass: each element's θ, g, m, v (and v̂) are loaded
/// once, updated in registers and stored once. Written as separate TensorPrimitives calls the same rule takes ten
/// passes over memory (each ∝ tensor size), which cost three times as much on a 17k-parameter network; the platform has
/// no fused Adam, so it is written here once, in <see cref="Update{TLanes}"/>, generic over the lane type: the JIT
/// compiles it for the widest vectors the CPU has (512, 256 or 128 bits), and again for one float for the tail.
/// The operations and their order are PyTorch's (no FMA contraction, division by √bc₂ rather than a reciprocal).
/// <para>
/// One difference: m and v are flushed to zero when they fall below the smallest normal float (1.2·10⁻³⁸). A parameter
/// whose gradient stays 0 (a dead ReLU unit) has m and v decaying geometrically into subnormal numbers, and arithmetic
/// on subnormals is many times slower: on a trained 4-128-128-2 network a third of the moments were subnormal and the
/// step took 2.7× as long. The effect on θ is below 10⁻³⁰ per step (m/denom with denom ≥ ε), far under float resolution.
/// </para>
/// </summary>
internal static class AdamKernel
{
    /// <summary>2⁻¹²⁶, the smallest positive normal float; a NaN is never below it, so NaNs still spread.</summary>
    private const float SmallestNormal = 1.17549435e-38f;

    /// <summary>
    /// m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g·g;  v̂ ← max(v̂, v) when <paramref name="vMax"/> is not empty, else v;
    /// θ ← θ − stepSize·m / (√v̂ / √bc₂ + ε). The constants 1 − β are passed in, rounded once from double, as the
    /// caller computes them. <paramref name="width"/> forces a vector width (tests); by default the widest in hardware.
    /// </summary>
    public static void Step(Span<float> theta, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, Span<float> vMax,
        float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float sqrtBiasCorrection2, float eps, float stepSize,
        VectorWidth? width = null)
    {
        int n = theta.Length;
        if (grad.Length != n || m.Length != n || v.Length != n || (!vMax.IsEmpty && vMax.Length != n))
            throw new ArgumentException($"Adam step: θ has {theta.Length} elements but g, m, v, v̂ have {grad.Length}, {m.Length}, {v.Length}, {vMax.Length}.");
        var h = new Hyperparameters(beta1, oneMinusBeta1, beta2, oneMinusBeta2, sqrtBiasCorrection2, eps, stepSize);
        int done = (width ?? VectorWidths.Best) switch
        {
            VectorWidth.Bits512 => Update<Lanes512>(theta, grad, m, v, vMax, h, 0),
            VectorWidth.Bits256 => Update<Lanes256>(theta, grad, m, v, vMax, h, 0),
            VectorWidth.Bits128 => Update<Lanes128>(theta, grad, m, v, vMax, h, 0),
            _ => 0,
        };
        Update<Lanes1>(theta, grad, m, v, vMax, h, done);
    }

    /// <summary>
    /// The update of elements [start, start + k·Count) for the largest such k, <typeparamref name="TLanes"/>.Count at a
    /// time; returns where it stopped (the tail is left for a narrower width).
    /// </summary>
    private static int Update<TLanes>(Span<float> theta, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, Span<float> vMax,
        in Hyperparameters h, int start)
        where TLanes : struct, ILanes<TLanes>
    {
        bool amsgrad = !vMax.IsEmpty;
        ref float p = ref MemoryMarshal.GetReference(theta);
        ref float g = ref MemoryMarshal.GetReference(grad);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float vm = ref MemoryMarshal.GetReference(vMax);
        TLanes beta1 = TLanes.Create(h.Beta1), oneMinusBeta1 = TLanes.Create(h.OneMinusBeta1);
        TLanes beta2 = TLanes.Create(h.Beta2), oneMinusBeta2 = TLanes.Create(h.OneMinusBeta2);
        TLanes sqrtBc2 = TLanes.Create(h.SqrtBiasCorrection2), eps = TLanes.Create(h.Eps), stepSize = TLanes.Create(h.StepSize);
        TLanes smallestNormal = TLanes.Create(SmallestNormal);
        int n = theta.Length, i = start;
        for (; i <= n - TLanes.Count; i += TLanes.Count)
        {
            nuint at = (nuint)i;
            TLanes gi = TLanes.Load(ref g, at);
            // m = β₁·m + (1 − β₁)·g
            TLanes mi = beta1 * TLanes.Load(ref mr, at) + oneMinusBeta1 * gi;
            // v = β₂·v + (1 − β₂)·g²
            TLanes vi = beta2 * TLanes.Load(ref vr, at) + oneMinusBeta2 * (gi * gi);
            // below the smallest normal float: 0 (see the class remarks)
            mi = TLanes.AndNot(mi, TLanes.LessThan(TLanes.Abs(mi), smallestNormal));
            vi = TLanes.AndNot(vi, TLanes.LessThan(vi, smallestNormal));
            TLanes.Store(mi, ref mr, at);
            TLanes.Store(vi, ref vr, at);
            // v̂ = max(v̂, v) with AMSGrad
            if (amsgrad)
            {
                vi = TLanes.Max(TLanes.Load(ref vm, at), vi);
                TLanes.Store(vi, ref vm, at);
            }
            // denom = √v̂ / √bc₂ + ε;  θ = θ − step_size · m / denom
            TLanes denom = TLanes.Sqrt(vi) / sqrtBc2 + eps;
            TLanes.Store(TLanes.Load(ref p, at) - stepSize * (mi / denom), ref p, at);
        }
        return i;
    }

    /// <summary>The step's scalar constants, each rounded to float once by the caller.</summary>
    private readonly record struct Hyperparameters(float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
        float SqrtBiasCorrection2, float Eps, float StepSize);
}
