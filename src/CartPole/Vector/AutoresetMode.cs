namespace CartPole;

/// <summary>When a sub-environment of <see cref="CartPoleVectorEnv"/> whose episode ended starts its next episode.</summary>
public enum AutoresetMode
{
    /// <summary>
    /// Gymnasium 1.x's default (<c>AutoresetMode.NEXT_STEP</c>): the step that ends an episode returns its final observation
    /// and flags as usual; the next step ignores that sub-environment's action and returns the first observation of a new
    /// episode with reward 0 and both flags false.
    /// </summary>
    NextStep,

    /// <summary>
    /// Gymnasium's <c>AutoresetMode.SAME_STEP</c> (gym 0.2x's behaviour): the step that ends an episode resets at once and
    /// returns the first observation of the new episode with that step's reward and flags; the final observation of the
    /// ended episode is in <see cref="CartPoleVectorEnv.FinalObservations"/>.
    /// </summary>
    SameStep,
}
