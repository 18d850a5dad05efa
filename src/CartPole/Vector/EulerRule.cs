using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CartPole;

/// <summary>Explicit Euler: positions move with the old velocities.</summary>
internal readonly struct EulerRule : IIntegrationRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Integrate(ref Vector512<double> x, ref Vector512<double> xDot, ref Vector512<double> theta,
        ref Vector512<double> thetaDot, Vector512<double> xAcc, Vector512<double> thetaAcc, Vector512<double> tau)
    {
        x = x + tau * xDot;
        xDot = xDot + tau * xAcc;
        theta = theta + tau * thetaDot;
        thetaDot = thetaDot + tau * thetaAcc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Integrate(ref Vector256<double> x, ref Vector256<double> xDot, ref Vector256<double> theta,
        ref Vector256<double> thetaDot, Vector256<double> xAcc, Vector256<double> thetaAcc, Vector256<double> tau)
    {
        x = x + tau * xDot;
        xDot = xDot + tau * xAcc;
        theta = theta + tau * thetaDot;
        thetaDot = thetaDot + tau * thetaAcc;
    }
}
