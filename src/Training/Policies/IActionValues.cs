namespace Training.Policies;

/// <summary>
/// A policy that can say what it thinks of a state, for drawing it (report.html's policy and value maps): one score per
/// action and a value for the state. A DQN's greedy policy gives Q(s, a) and max_a Q(s, a); a policy-gradient agent
/// gives π(a | s) and its critic's V(s). <see cref="IPolicy.Act"/> stays the action the policy takes.
/// </summary>
public interface IActionValues : IPolicy
{
    /// <summary>The number of actions (the length of the scores).</summary>
    int ActionCount { get; }

    /// <summary>What the scores are: action values or action probabilities.</summary>
    ActionScoreKind ScoreKind { get; }

    /// <summary>
    /// Writes one score per action for <paramref name="observation"/> into <paramref name="scores"/> (length
    /// <see cref="ActionCount"/>) and returns the state's value: max_a Q(s, a) for action values, V(s) for probabilities.
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="scores"/> does not hold <see cref="ActionCount"/> values.</exception>
    float Evaluate(ReadOnlySpan<float> observation, Span<float> scores);
}
