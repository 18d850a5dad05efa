namespace CartPole.Tests;

/// <summary>
/// The Sutton–Barto reward and the semi-implicit integrator against a hand computation of one step from rest.
/// From x = ẋ = θ = θ̇ = 0 with action 1 (F = 10): sin θ = 0, cos θ = 1, so
/// temp = 10/1.1 = 100/11, θ̈ = −temp / (0.5·(4/3 − 0.1/1.1)) = −(100/11)/(41/66) = −600/41,
/// ẍ = temp − 0.05·θ̈/1.1 = 100/11 + 300/451 = 4400/451.
/// </summary>
public class OptionsTests
{
    private const double XAcc = 4400.0 / 451.0;
    private const double ThetaAcc = -600.0 / 41.0;

    private static CartPoleState OneStepFromRest(CartPoleIntegrator integrator)
    {
        var env = new CartPoleEnv(new CartPoleOptions { Integrator = integrator });
        env.ResetTo(default, new float[4]);
        env.Step(1, new float[4]);
        return env.State;
    }

    [Test]
    public void EulerMovesPositionsWithTheOldVelocities()
    {
        var s = OneStepFromRest(CartPoleIntegrator.Euler);
        Assert.That(s.X, Is.EqualTo(0.0), "x += τ·ẋ with the old ẋ = 0");
        Assert.That(s.Theta, Is.EqualTo(0.0));
        Assert.That(s.XDot, Is.EqualTo(0.02 * XAcc).Within(1e-15));
        Assert.That(s.ThetaDot, Is.EqualTo(0.02 * ThetaAcc).Within(1e-15));
    }

    [Test]
    public void SemiImplicitEulerMovesPositionsWithTheNewVelocities()
    {
        var s = OneStepFromRest(CartPoleIntegrator.SemiImplicitEuler);
        Assert.That(s.XDot, Is.EqualTo(0.02 * XAcc).Within(1e-15));
        Assert.That(s.ThetaDot, Is.EqualTo(0.02 * ThetaAcc).Within(1e-15));
        Assert.That(s.X, Is.EqualTo(0.02 * 0.02 * XAcc).Within(1e-16), "x += τ·ẋ with the new ẋ");
        Assert.That(s.Theta, Is.EqualTo(0.02 * 0.02 * ThetaAcc).Within(1e-16));
    }

    [Test]
    public void SemiImplicitShareTheAccelerationsOfEulerAwayFromRest()
    {
        var start = new CartPoleState(0.3, -0.7, 0.1, 0.9);
        var euler = CartPolePhysics.Step(start, 10, CartPoleIntegrator.Euler);
        var semi = CartPolePhysics.Step(start, 10, CartPoleIntegrator.SemiImplicitEuler);
        Assert.That(semi.XDot, Is.EqualTo(euler.XDot));
        Assert.That(semi.ThetaDot, Is.EqualTo(euler.ThetaDot));
        Assert.That(euler.X, Is.EqualTo(0.3 + 0.02 * -0.7));
        Assert.That(semi.X, Is.EqualTo(0.3 + 0.02 * semi.XDot));
        Assert.That(semi.Theta, Is.EqualTo(0.1 + 0.02 * semi.ThetaDot));
    }

    [Test]
    public void SuttonBartoRewardIsZeroUntilTheTerminatingStepWhichGetsMinusOne()
    {
        var env = new CartPoleEnv(new CartPoleOptions { SuttonBartoReward = true });
        var obs = new float[4];
        env.ResetTo(new CartPoleState(0, 0, 0.15, 0.5), obs);
        var first = env.Step(0, obs);
        Assert.That(first.Terminated, Is.False, "θ = 0.15 + 0.02·0.5 = 0.16 is inside 12°");
        Assert.That(first.Reward, Is.EqualTo(0f));
        // Pushing left while the pole leans right makes it fall faster, so θ passes 12° within a few steps.
        StepResult r;
        do r = env.Step(0, obs); while (!r.Done);
        Assert.That(r.Terminated, Is.True);
        Assert.That(r.Reward, Is.EqualTo(-1f));
    }

    [Test]
    public void SuttonBartoTruncationWithoutTerminationGetsZero()
    {
        var env = new CartPoleEnv(new CartPoleOptions { SuttonBartoReward = true, MaxEpisodeSteps = 3 });
        var obs = new float[4];
        env.ResetTo(default, obs);
        env.Step(1, obs);
        env.Step(0, obs);
        var last = env.Step(1, obs);
        Assert.That(last.Truncated && !last.Terminated, Is.True);
        Assert.That(last.Reward, Is.EqualTo(0f));
    }

    [Test]
    public void ThresholdsAreGymnasiumsFloat64Values()
    {
        Assert.That(CartPolePhysics.ThetaThresholdRadians, Is.EqualTo(0.20943951023931953), "12·2·π/360 as Python computes it");
        Assert.That(CartPolePhysics.TotalMass, Is.EqualTo(1.1));
        Assert.That(CartPolePhysics.PoleMassLength, Is.EqualTo(0.05));
    }
}
