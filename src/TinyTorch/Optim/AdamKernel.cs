using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TinyTorch.Optim;

/// <summary>
/// The element-wise Adam update of one parameter tensor in a single pass: each element's θ, g, m, v (and v̂) are loaded
/// once, updated in registers and stored once. Written as separate TensorPrimitives calls the same rule takes ten
/// passes over memory (each ∝ tensor size), which cost three times as much on a 17k-parameter network; the platform has
/// no fused Adam, so it is written here, 512-bit, then 256-bit, then a scalar tail, each line the same formula.
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
    /// caller computes them.
    /// </summary>
    public static void Step(Span<float> theta, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, Span<float> vMax,
        float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float sqrtBiasCorrection2, float eps, float stepSize)
    {
        int n = theta.Length;
        if (grad.Length != n || m.Length != n || v.Length != n || (!vMax.IsEmpty && vMax.Length != n))
            throw new ArgumentException($"Adam step: θ has {theta.Length} elements but g, m, v, v̂ have {grad.Length}, {m.Length}, {v.Length}, {vMax.Length}.");
        bool amsgrad = !vMax.IsEmpty;
        ref float p = ref MemoryMarshal.GetReference(theta);
        ref float g = ref MemoryMarshal.GetReference(grad);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float vm = ref MemoryMarshal.GetReference(vMax);
        int i = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> b1 = Vector512.Create(beta1), c1 = Vector512.Create(oneMinusBeta1);
            Vector512<float> b2 = Vector512.Create(beta2), c2 = Vector512.Create(oneMinusBeta2);
            Vector512<float> bc2 = Vector512.Create(sqrtBiasCorrection2), e = Vector512.Create(eps), step = Vector512.Create(stepSize);
            Vector512<float> normal = Vector512.Create(SmallestNormal);
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                nuint at = (nuint)i;
                Vector512<float> gi = Vector512.LoadUnsafe(ref g, at);
                Vector512<float> mi = b1 * Vector512.LoadUnsafe(ref mr, at) + c1 * gi;
                Vector512<float> vi = b2 * Vector512.LoadUnsafe(ref vr, at) + c2 * (gi * gi);
                mi = Vector512.AndNot(mi, Vector512.LessThan(Vector512.Abs(mi), normal));
                vi = Vector512.AndNot(vi, Vector512.LessThan(vi, normal));
                mi.StoreUnsafe(ref mr, at);
                vi.StoreUnsafe(ref vr, at);
                if (amsgrad)
                {
                    vi = Vector512.Max(Vector512.LoadUnsafe(ref vm, at), vi);
                    vi.StoreUnsafe(ref vm, at);
                }
                Vector512<float> denom = Vector512.Sqrt(vi) / bc2 + e;
                (Vector512.LoadUnsafe(ref p, at) - step * (mi / denom)).StoreUnsafe(ref p, at);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> b1 = Vector256.Create(beta1), c1 = Vector256.Create(oneMinusBeta1);
            Vector256<float> b2 = Vector256.Create(beta2), c2 = Vector256.Create(oneMinusBeta2);
            Vector256<float> bc2 = Vector256.Create(sqrtBiasCorrection2), e = Vector256.Create(eps), step = Vector256.Create(stepSize);
            Vector256<float> normal = Vector256.Create(SmallestNormal);
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                nuint at = (nuint)i;
                Vector256<float> gi = Vector256.LoadUnsafe(ref g, at);
                Vector256<float> mi = b1 * Vector256.LoadUnsafe(ref mr, at) + c1 * gi;
                Vector256<float> vi = b2 * Vector256.LoadUnsafe(ref vr, at) + c2 * (gi * gi);
                mi = Vector256.AndNot(mi, Vector256.LessThan(Vector256.Abs(mi), normal));
                vi = Vector256.AndNot(vi, Vector256.LessThan(vi, normal));
                mi.StoreUnsafe(ref mr, at);
                vi.StoreUnsafe(ref vr, at);
                if (amsgrad)
                {
                    vi = Vector256.Max(Vector256.LoadUnsafe(ref vm, at), vi);
                    vi.StoreUnsafe(ref vm, at);
                }
                Vector256<float> denom = Vector256.Sqrt(vi) / bc2 + e;
                (Vector256.LoadUnsafe(ref p, at) - step * (mi / denom)).StoreUnsafe(ref p, at);
            }
        }

        for (; i < n; i++)
        {
            float gi = Unsafe.Add(ref g, i);
            // m = β₁·m + (1 − β₁)·g
            float mi = beta1 * Unsafe.Add(ref mr, i) + oneMinusBeta1 * gi;
            // v = β₂·v + (1 − β₂)·g²
            float vi = beta2 * Unsafe.Add(ref vr, i) + oneMinusBeta2 * (gi * gi);
            // below the smallest normal float: 0 (see the class remarks)
            if (MathF.Abs(mi) < SmallestNormal)
                mi = 0f;
            if (vi < SmallestNormal)
                vi = 0f;
            Unsafe.Add(ref mr, i) = mi;
            Unsafe.Add(ref vr, i) = vi;
            // v̂ = max(v̂, v) with AMSGrad
            if (amsgrad)
                Unsafe.Add(ref vm, i) = vi = MathF.Max(Unsafe.Add(ref vm, i), vi);
            // denom = √v̂ / √bc₂ + ε;  θ = θ − step_size · m / denom
            float denom = MathF.Sqrt(vi) / sqrtBiasCorrection2 + eps;
            Unsafe.Add(ref p, i) -= stepSize * (mi / denom);
        }
    }
}
