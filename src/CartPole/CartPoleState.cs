namespace CartPole;

/// <summary>
/// The full float64 state of the cart-pole, in Gymnasium's order: cart position <see cref="X"/> (m), cart velocity
/// <see cref="XDot"/> (m/s), pole angle <see cref="Theta"/> (rad, 0 = upright, positive = leaning towards +x) and pole
/// angular velocity <see cref="ThetaDot"/> (rad/s). The agent sees it only as a float32 observation.
/// </summary>
public readonly record struct CartPoleState(double X, double XDot, double Theta, double ThetaDot)
{
    /// <summary>True when every component is a finite number.</summary>
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(XDot) && double.IsFinite(Theta) && double.IsFinite(ThetaDot);

    /// <summary>
    /// Writes the observation the agent sees: each float64 component rounded to the nearest float32
    /// (NumPy's <c>np.array(state, dtype=np.float32)</c>; round half to even, overflow to ±∞).
    /// </summary>
    public void WriteObservation(Span<float> observation)
    {
        observation[3] = (float)ThetaDot; // highest index first: one bounds check covers all four
        observation[0] = (float)X;
        observation[1] = (float)XDot;
        observation[2] = (float)Theta;
    }

    /// <summary>The four components in round-trip precision: <c>[x, ẋ, θ, θ̇]</c>.</summary>
    public override string ToString() => $"[{X:R}, {XDot:R}, {Theta:R}, {ThetaDot:R}]";
}
