using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CartPole;

/// <summary>Semi-implicit Euler: velocities first, positions move with the new velocities.</summary>
internal readonly struct SemiImplicitRule : IIntegrationRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Integrate(ref double x, ref double xDot, ref double theta, ref double thetaDot, int i,
        Vector512<double> xAcc, Vector512<double> thetaAcc, Vector512<double> tau)
    {
        var xd = Vector512.LoadUnsafe(ref xDot, (nuint)i) + tau * xAcc;
        var td = Vector512.LoadUnsafe(ref thetaDot, (nuint)i) + tau * thetaAcc;
        xd.StoreUnsafe(ref xDot, (nuint)i);
        (Vector512.LoadUnsafe(ref x, (nuint)i) + tau * xd).StoreUnsafe(ref x, (nuint)i);
        td.StoreUnsafe(ref thetaDot, (nuint)i);
        (Vector512.LoadUnsafe(ref theta, (nuint)i) + tau * td).StoreUnsafe(ref theta, (nuint)i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Integrate(ref double x, ref double xDot, ref double theta, ref double thetaDot, int i,
        Vector256<double> xAcc, Vector256<double> thetaAcc, Vector256<double> tau)
    {
        var xd = Vector256.LoadUnsafe(ref xDot, (nuint)i) + tau * xAcc;
        var td = Vector256.LoadUnsafe(ref thetaDot, (nuint)i) + tau * thetaAcc;
        xd.StoreUnsafe(ref xDot, (nuint)i);
        (Vector256.LoadUnsafe(ref x, (nuint)i) + tau * xd).StoreUnsafe(ref x, (nuint)i);
        td.StoreUnsafe(ref thetaDot, (nuint)i);
        (Vector256.LoadUnsafe(ref theta, (nuint)i) + tau * td).StoreUnsafe(ref theta, (nuint)i);
    }
}
