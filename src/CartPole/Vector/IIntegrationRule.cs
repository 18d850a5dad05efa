using System.Runtime.Intrinsics;

namespace CartPole;

/// <summary>
/// The last part of a vector step: how the accelerations move the state (<see cref="CartPoleIntegrator"/>). A static
/// abstract interface on a struct so that the JIT compiles one loop per rule with no branch inside. Each update is a
/// multiply then an add, rounded separately as in <see cref="CartPolePhysics.Step"/> (never a fused multiply-add).
/// </summary>
internal interface IIntegrationRule
{
    static abstract void Integrate(ref Vector512<double> x, ref Vector512<double> xDot, ref Vector512<double> theta,
        ref Vector512<double> thetaDot, Vector512<double> xAcc, Vector512<double> thetaAcc, Vector512<double> tau);

    static abstract void Integrate(ref Vector256<double> x, ref Vector256<double> xDot, ref Vector256<double> theta,
        ref Vector256<double> thetaDot, Vector256<double> xAcc, Vector256<double> thetaAcc, Vector256<double> tau);
}
