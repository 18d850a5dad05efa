using System.Runtime.CompilerServices;

namespace CartPole;

/// <summary>Explicit Euler: positions move with the old velocities.</summary>
internal readonly struct EulerRule : IIntegrationRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Integrate<TLanes>(ref TLanes x, ref TLanes xDot, ref TLanes theta, ref TLanes thetaDot,
        TLanes xAcc, TLanes thetaAcc, TLanes tau)
        where TLanes : struct, ILanes<TLanes>
    {
        x = x + tau * xDot;
        xDot = xDot + tau * xAcc;
        theta = theta + tau * thetaDot;
        thetaDot = thetaDot + tau * thetaAcc;
    }
}
