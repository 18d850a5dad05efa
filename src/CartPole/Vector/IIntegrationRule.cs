using System.Runtime.Intrinsics;

namespace CartPole;

/// <summary>
/// The last part of a vector step: how the accelerations move the state (<see cref="CartPoleIntegrator"/>). A static
/// abstract interface on a struct so that the JIT compiles one loop per rule with no branch inside.
/// </summary>
internal interface IIntegrationRule
{
    static abstract void Integrate(ref double x, ref double xDot, ref double theta, ref double thetaDot, int i,
        Vector512<double> xAcc, Vector512<double> thetaAcc, Vector512<double> tau);

    static abstract void Integrate(ref double x, ref double xDot, ref double theta, ref double thetaDot, int i,
        Vector256<double> xAcc, Vector256<double> thetaAcc, Vector256<double> tau);
}
