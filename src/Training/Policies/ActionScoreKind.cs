namespace Training.Policies;

/// <summary>What <see cref="IActionValues.Evaluate"/> writes per action.</summary>
public enum ActionScoreKind
{
    /// <summary>Q(s, a), the expected return of taking a then acting greedily; the policy takes the largest.</summary>
    QValues,

    /// <summary>π(a | s), the probability of taking a; they sum to 1.</summary>
    Probabilities,
}
