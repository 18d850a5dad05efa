using CartPole;
using Training.Policies;

namespace Training.Reporting;

/// <summary>
/// What a policy makes of CartPole's pole, for report.html (<see cref="PolicyMapSvg"/>): its scores and state values
/// over a grid of pole angle θ × angular velocity θ̇ with the cart at rest in the centre (x = ẋ = 0), and along one
/// recorded episode. Computed once from an <see cref="IActionValues"/>, then only drawn.
/// </summary>
public sealed record PolicyView
{
    /// <summary>Grid columns (θ) and rows (θ̇) of the maps.</summary>
    public const int Columns = 48, Rows = 36;

    /// <summary>Q-values or probabilities (and what the value is).</summary>
    public required ActionScoreKind Kind { get; init; }

    /// <summary>|A|, the actions scored.</summary>
    public required int ActionCount { get; init; }

    /// <summary>The θ axis spans [−ThetaMax, ThetaMax]: the angle at which an episode terminates (12°).</summary>
    public required double ThetaMax { get; init; }

    /// <summary>The θ̇ axis spans [−ThetaDotMax, ThetaDotMax], wide enough for the recorded episode.</summary>
    public required double ThetaDotMax { get; init; }

    /// <summary>The action the policy takes at each cell's centre, row-major [Rows × Columns], row 0 at θ̇ = −ThetaDotMax.</summary>
    public required int[] Actions { get; init; }

    /// <summary>Scores per cell, row-major [Rows × Columns × ActionCount].</summary>
    public required float[] Scores { get; init; }

    /// <summary>The state value at each cell's centre (max_a Q or V), [Rows × Columns].</summary>
    public required float[] Values { get; init; }

    /// <summary>The recorded episode's states (start, then after each step).</summary>
    public required IReadOnlyList<CartPoleState> Episode { get; init; }

    /// <summary>Scores at each of the episode's states, [States × ActionCount].</summary>
    public required float[] EpisodeScores { get; init; }

    /// <summary>The centre of cell (<paramref name="row"/>, <paramref name="column"/>) as (θ, θ̇).</summary>
    public (double Theta, double ThetaDot) CellCentre(int row, int column) =>
        (-ThetaMax + (column + 0.5) * 2 * ThetaMax / Columns, -ThetaDotMax + (row + 0.5) * 2 * ThetaDotMax / Rows);

    /// <summary>Evaluates <paramref name="policy"/> on the grid and along <paramref name="episode"/> (which needs at least one state).</summary>
    /// <exception cref="ArgumentException">When the policy does not take CartPole's 4 observations or the episode is empty.</exception>
    public static PolicyView Compute(IActionValues policy, IReadOnlyList<CartPoleState> episode)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(episode);
        if (episode.Count == 0)
            throw new ArgumentException("The episode has no states to draw.", nameof(episode));
        int a = policy.ActionCount;
        double maxThetaDot = 0;
        foreach (CartPoleState s in episode)
            maxThetaDot = Math.Max(maxThetaDot, Math.Abs(s.ThetaDot));
        // A quarter-radian-per-second multiple with room around the episode; never narrower than ±1 rad/s.
        double thetaDotMax = Math.Max(1, Math.Ceiling(1.25 * maxThetaDot * 4) / 4);
        var view = new PolicyView
        {
            Kind = policy.ScoreKind,
            ActionCount = a,
            ThetaMax = CartPolePhysics.ThetaThresholdRadians,
            ThetaDotMax = thetaDotMax,
            Actions = new int[Rows * Columns],
            Scores = new float[Rows * Columns * a],
            Values = new float[Rows * Columns],
            Episode = episode,
            EpisodeScores = new float[episode.Count * a],
        };
        Span<float> observation = stackalloc float[4];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                var (theta, thetaDot) = view.CellCentre(r, c);
                new CartPoleState(0, 0, theta, thetaDot).WriteObservation(observation);
                int cell = r * Columns + c;
                view.Values[cell] = policy.Evaluate(observation, view.Scores.AsSpan(cell * a, a));
                view.Actions[cell] = policy.Act(observation);
            }
        }
        for (int t = 0; t < episode.Count; t++)
        {
            episode[t].WriteObservation(observation);
            policy.Evaluate(observation, view.EpisodeScores.AsSpan(t * a, a));
        }
        return view;
    }
}
