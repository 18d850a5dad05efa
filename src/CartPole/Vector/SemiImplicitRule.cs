using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CartPole;

/// <summary>Semi-implicit Euler: velocities first, positions move with the new velocities.</summary>
internal readonly struct SemiImplicitRule : IIntegrationRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Integrate(ref Vector512<double> x, ref Vector512<double> xDot, ref Vector512<double> theta,
        ref Vector512<double> thetaDot, Vector512<double> xAcc, Vector512<double> thetaAcc, Vector512<double> tau)
    {
        xDot = xDot + tau * xAcc;
        x = x + tau * xDot;
        thetaDot = thetaDot + tau * thetaAcc;
        theta = theta + tau * thetaDot;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Integrate(ref Vector256<double> x, ref Vector256<double> xDot, ref Vector256<double> theta,
        ref Vector256<double> thetaDot, Vector256<double> xAcc, Vector256<double> thetaAcc, Vector256<double> tau)
    {
        xDot = xDot + tau * xAcc;
        x = x + tau * xDot;
        thetaDot = thetaDot + tau * thetaAcc;
        theta = theta + tau * thetaDot;
    }
}
