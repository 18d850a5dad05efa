namespace CartPole;

/// <summary>How a step turns the accelerations into the next state (Gymnasium's <c>kinematics_integrator</c>).</summary>
public enum CartPoleIntegrator
{
    /// <summary>Explicit Euler, Gymnasium's default: positions move with the old velocities, then the velocities are updated.</summary>
    Euler,

    /// <summary>Semi-implicit (symplectic) Euler: velocities are updated first and positions move with the new velocities.</summary>
    SemiImplicitEuler,
}
