namespace CartPole;

/// <summary>
/// The equations of motion of Gymnasium's CartPole-v1 (<c>gymnasium/envs/classic_control/cartpole.py</c>), one step
/// of τ = 0.02 s, written so that every result is bit-identical to Gymnasium's.
/// </summary>
/// <remarks>
/// <para><b>Precision contract.</b> The cart-pole is unstable: a one-ulp difference in θ grows by roughly e every
/// 10–20 steps, and after a few hundred steps it is larger than the 1e-6 the observations are compared with. So
/// "close to Gymnasium" is not enough; the code reproduces Gymnasium's computation exactly:</para>
/// <list type="bullet">
/// <item>the state is float64 and only the observation is rounded to float32;</item>
/// <item>the constants are computed as Gymnasium computes them (<c>total_mass = masspole + masscart</c>,
/// <c>polemass_length = masspole · length</c>, <c>12 · 2 · π / 360</c>), and every expression keeps Python's
/// left-to-right order of operations (<c>a * b * c / d</c> is <c>((a·b)·c)/d</c>; <c>np.square(v)</c> is <c>v·v</c>);</item>
/// <item>sin and cos are <see cref="Math.Sin"/> and <see cref="Math.Cos"/>, which call the C library's <c>sin</c>/<c>cos</c>
/// like <c>np.sin</c>/<c>np.cos</c> do for a float64 scalar;</item>
/// <item>no fused multiply-add: <c>a·b + c</c> is rounded twice, as in NumPy. RyuJIT never contracts scalar double
/// arithmetic, and the vector environment uses separate multiplies and adds for the same reason;</item>
/// <item>divisions stay divisions (<c>x / total_mass</c> is not <c>x · (1/total_mass)</c>, which rounds differently).</item>
/// </list>
/// </remarks>
public static class CartPolePhysics
{
    /// <summary>g, in m/s².</summary>
    public const double Gravity = 9.8;
    /// <summary>Mass of the cart, in kg.</summary>
    public const double MassCart = 1.0;
    /// <summary>Mass of the pole, in kg.</summary>
    public const double MassPole = 0.1;
    /// <summary>Cart plus pole, in kg.</summary>
    public const double TotalMass = MassPole + MassCart;

    /// <summary>Half the pole's length (Gymnasium's <c>length</c>).</summary>
    public const double Length = 0.5;

    /// <summary>Pole mass × half-length, in kg·m (Gymnasium's <c>polemass_length</c>).</summary>
    public const double PoleMassLength = MassPole * Length;
    /// <summary>Magnitude of the push of either action, in N.</summary>
    public const double ForceMag = 10.0;

    /// <summary>Seconds between two states.</summary>
    public const double Tau = 0.02;

    /// <summary>|θ| beyond 12° ends the episode; written as Gymnasium writes it so the float64 value is the same.</summary>
    public const double ThetaThresholdRadians = 12 * 2 * Math.PI / 360;

    /// <summary>|x| beyond 2.4 m ends the episode.</summary>
    public const double XThreshold = 2.4;

    /// <summary>The start state of an episode is drawn from U(−ResetBound, ResetBound) in each component.</summary>
    public const double ResetBound = 0.05;

    /// <summary>
    /// Action 1 pushes the cart towards +x with <see cref="ForceMag"/>, action 0 towards −x (Gymnasium:
    /// <c>force_mag if action == 1 else -force_mag</c>). Computed as (2a − 1)·10, exact for a ∈ {0, 1}, so that random
    /// actions cost no mispredicted branch.
    /// </summary>
    public static double Force(int action) => (2 * action - 1) * ForceMag;

    /// <summary>One step of the dynamics from <paramref name="s"/> with the horizontal force <paramref name="force"/> (±10 N).</summary>
    public static CartPoleState Step(in CartPoleState s, double force, CartPoleIntegrator integrator)
    {
        double x = s.X, xDot = s.XDot, theta = s.Theta, thetaDot = s.ThetaDot;
        double costheta = Math.Cos(theta);
        double sintheta = Math.Sin(theta);

        // temp = (F + m_p·l·θ̇²·sin θ) / (m_c + m_p)
        double temp = (force + PoleMassLength * (thetaDot * thetaDot) * sintheta) / TotalMass;
        // θ̈ = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ / (m_c + m_p)))
        double thetaAcc = (Gravity * sintheta - costheta * temp)
                          / (Length * (4.0 / 3.0 - MassPole * (costheta * costheta) / TotalMass));
        // ẍ = temp − m_p·l·θ̈·cos θ / (m_c + m_p)
        double xAcc = temp - PoleMassLength * thetaAcc * costheta / TotalMass;

        if (integrator == CartPoleIntegrator.Euler)
        {
            // positions move with the velocities of the start of the step
            x = x + Tau * xDot;
            xDot = xDot + Tau * xAcc;
            theta = theta + Tau * thetaDot;
            thetaDot = thetaDot + Tau * thetaAcc;
        }
        else
        {
            // velocities first, then positions move with the new velocities
            xDot = xDot + Tau * xAcc;
            x = x + Tau * xDot;
            thetaDot = thetaDot + Tau * thetaAcc;
            theta = theta + Tau * thetaDot;
        }
        return new CartPoleState(x, xDot, theta, thetaDot);
    }

    /// <summary>
    /// Gymnasium's termination test: strictly beyond a threshold (a state exactly on it goes on). A NaN compares false
    /// everywhere, so it never terminates, as in Gymnasium.
    /// </summary>
    public static bool IsTerminated(in CartPoleState s) =>
        s.X < -XThreshold || s.X > XThreshold || s.Theta < -ThetaThresholdRadians || s.Theta > ThetaThresholdRadians;

    /// <summary>
    /// The reward of a step that did not follow an earlier termination: 1 always (including the terminating step), or with
    /// the Sutton–Barto reward 0, and −1 on the terminating step.
    /// </summary>
    public static float Reward(bool terminated, bool suttonBarto) =>
        suttonBarto ? (terminated ? -1f : 0f) : 1f;
}
