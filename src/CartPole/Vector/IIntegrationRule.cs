namespace CartPole;

/// <summary>
/// The last part of a vector step: how the accelerations move the state (<see cref="CartPoleIntegrator"/>). A static
/// abstract interface on a struct so that the JIT compiles one loop per rule and width with no branch inside. Each
/// update is a multiply then an add, rounded separately as in <see cref="CartPolePhysics.Step"/> (never a fused multiply-add).
/// </summary>
internal interface IIntegrationRule
{
    static abstract void Integrate<TLanes>(ref TLanes x, ref TLanes xDot, ref TLanes theta, ref TLanes thetaDot,
        TLanes xAcc, TLanes thetaAcc, TLanes tau)
        where TLanes : struct, ILanes<TLanes>;
}
