using TinyTorch.Nn;

namespace Training.Policies;

/// <summary>
/// The greedy policy of a network that scores actions, a = argmax_a score(s, a): one forward pass of a single
/// observation through <see cref="MlpWorkspace.ForwardSingle"/> (no allocation, about a microsecond). It reads the
/// network's live weights, so it always acts with the current parameters. The scores are the network's outputs (the
/// Q-values of a DQN, the logits of a policy network) or, with an <see cref="OutputHead"/>, what the head makes of them
/// (a dueling network's [V, A₀, …] → Q), computed exactly as the update computes them, so ties break the same way.
/// </summary>
public sealed class GreedyPolicy : IActionValues
{
    private readonly MlpWorkspace _workspace;
    private readonly OutputHead? _head;
    private readonly float[] _scores;

    /// <param name="network">An MLP (Linear, activation, …, Linear).</param>
    /// <param name="actionCount">The number of actions: the network's outputs, or what <paramref name="head"/> maps them to.</param>
    /// <param name="head">Turns one output row into <paramref name="actionCount"/> scores; null: the outputs are the scores.</param>
    public GreedyPolicy(Sequential network, int actionCount, OutputHead? head = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        _workspace = new MlpWorkspace(network);
        if (head is null && actionCount != _workspace.OutFeatures)
            throw new ArgumentException($"The network outputs {_workspace.OutFeatures} values, but the policy has {actionCount} actions and no head to map them.", nameof(actionCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        _head = head;
        ActionCount = actionCount;
        _scores = new float[actionCount];
    }

    /// <summary>The network's input size.</summary>
    public int ObservationSize => _workspace.InFeatures;

    /// <summary>The number of actions.</summary>
    public int ActionCount { get; }

    /// <summary>The scores are action values: the policy is greedy in them, and a state's value is the largest.</summary>
    public ActionScoreKind ScoreKind => ActionScoreKind.QValues;

    /// <summary>Writes score(s, a) for every action (Q(s, a) for a Q-network) and returns max_a score(s, a).</summary>
    public float Evaluate(ReadOnlySpan<float> observation, Span<float> scores)
    {
        if (scores.Length != ActionCount)
            throw new ArgumentException($"The scores span holds {scores.Length} values; the policy has {ActionCount} actions.", nameof(scores));
        ReadOnlySpan<float> outputs = _workspace.ForwardSingle(observation);
        if (_head is null)
            outputs.CopyTo(scores);
        else
            _head(outputs, scores);
        return scores[EpsilonGreedy.Argmax(scores)];
    }

    /// <inheritdoc/>
    public int Act(ReadOnlySpan<float> observation)
    {
        if (_head is null)
            return _workspace.ForwardArgMax(observation);
        _head(_workspace.ForwardSingle(observation), _scores);
        return EpsilonGreedy.Argmax(_scores);
    }
}

/// <summary>Maps one row of a network's outputs to one score per action (see <see cref="GreedyPolicy"/>).</summary>
public delegate void OutputHead(ReadOnlySpan<float> outputs, Span<float> scores);
