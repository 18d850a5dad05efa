using System.Runtime.CompilerServices;

namespace CartPole;

/// <summary>Semi-implicit Euler: velocities first, then positions move with the new velocities.</summary>
internal readonly struct SemiImplicitRule : IIntegrationRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Integrate<TLanes>(ref TLanes x, ref TLanes xDot, ref TLanes theta, ref TLanes thetaDot,
        TLanes xAcc, TLanes thetaAcc, TLanes tau)
        where TLanes : struct, ILanes<TLanes>
    {
        xDot = xDot + tau * xAcc;
        x = x + tau * xDot;
        thetaDot = thetaDot + tau * thetaAcc;
        theta = theta + tau * thetaDot;
    }
}
