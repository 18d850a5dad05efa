using System.Runtime.CompilerServices;
using CartPole.Seeding;

namespace CartPole;

/// <summary>
/// sin θ and cos θ bit-identical to <see cref="Math.Sin"/> and <see cref="Math.Cos"/>, computed with one call to
/// <see cref="Math.SinCos"/> (about 40% cheaper than two calls) where that call is known to return the same bits.
/// </summary>
/// <remarks>
/// <para>Why it is exact: for |x| below <see cref="SharedPathBound"/> the C libraries' <c>sincos</c> runs the very code of
/// <c>sin</c> and <c>cos</c>. In glibc (sysdeps/ieee754/dbl-64/s_sincos.c and s_sin.c), for 2⁻²⁷ ≤ |x| &lt; 0.85546875,
/// <c>__sincos</c> returns <c>do_sin(x, 0)</c> and <c>do_cos(x, 0)</c>, the same inlined helpers <c>__sin</c> and
/// <c>__cos</c> call; below 2⁻²⁷ both return x and 1; and between 2⁻²⁷ and 2⁻²⁶, where <c>__sin</c> returns x, the
/// helper returns x + t with |t| ≈ |x|³/6 &lt; ulp(x)/2, which rounds to x. musl's <c>sincos</c> calls the kernels of
/// <c>sin</c> and <c>cos</c> for |x| ≤ π/4, and .NET on Windows computes SinCos as <c>sin</c> and <c>cos</c>. Above the
/// bound glibc's <c>sincos</c> takes a different path for sin (0.855 &lt; |x| &lt; 2.43), so there the two separate calls
/// are used. A CartPole episode runs with |θ| ≤ 12° = 0.21, far inside the bound.</para>
/// <para>For C libraries whose source we have not read, <see cref="SinCosIsExact"/> compares the two on thousands of
/// angles at start-up and falls back to separate calls at the first difference.</para>
/// </remarks>
public static class ExactSinCos
{
    /// <summary>Below this |θ|, glibc (0.85546875) and musl (π/4 ≈ 0.785) compute sincos with the code of sin and cos.</summary>
    public const double SharedPathBound = 0.78;

    /// <summary>Whether <see cref="Math.SinCos"/> agreed bit for bit with <see cref="Math.Sin"/> and <see cref="Math.Cos"/> on every probe.</summary>
    public static readonly bool SinCosIsExact = Probe();

    /// <summary>
    /// <paramref name="sin"/> = sin θ and <paramref name="cos"/> = cos θ, the bits of <see cref="Math.Sin"/> and
    /// <see cref="Math.Cos"/>: one <see cref="Math.SinCos"/> call below <see cref="SharedPathBound"/> when it is exact here,
    /// else the two calls. Public so that benchmarks can weigh it against the alternatives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Compute(double theta, out double sin, out double cos)
    {
        if (SinCosIsExact && Math.Abs(theta) < SharedPathBound)
        {
            (sin, cos) = Math.SinCos(theta);
        }
        else
        {
            sin = Math.Sin(theta);
            cos = Math.Cos(theta);
        }
    }

    /// <summary>
    /// A regular grid and random angles inside the bound, plus the edges of glibc's branches (2⁻²⁷, 2⁻²⁶, 0.126)
    /// and their neighbours.
    /// </summary>
    private static bool Probe()
    {
        const int grid = 8192;
        for (int k = 0; k < grid; k++)
        {
            if (!Agrees(-SharedPathBound + 2 * SharedPathBound * (k + 0.5) / grid))
                return false;
        }
        var rng = NumPyGenerator.FromSeed(0x5EED);
        for (int k = 0; k < grid; k++)
        {
            double theta = rng.Uniform(-SharedPathBound, SharedPathBound);
            if (!Agrees(theta) || !Agrees(theta * 1e-3) || !Agrees(theta * 1e-7))
                return false;
        }
        foreach (double edge in (double[])[Math.ScaleB(1, -27), Math.ScaleB(1, -26), 0.126, 0.0])
        {
            foreach (double v in (double[])[Math.BitDecrement(edge), edge, Math.BitIncrement(edge)])
            {
                if (!Agrees(v) || !Agrees(-v))
                    return false;
            }
        }
        return true;
    }

    private static bool Agrees(double theta)
    {
        var (s, c) = Math.SinCos(theta);
        return BitConverter.DoubleToInt64Bits(s) == BitConverter.DoubleToInt64Bits(Math.Sin(theta))
               && BitConverter.DoubleToInt64Bits(c) == BitConverter.DoubleToInt64Bits(Math.Cos(theta));
    }
}
