using Dqn.Policies;
using Dqn.Update;
using TinyTorch.Nn;

namespace Dqn.Training;

/// <summary>
/// The greedy policy of a Q-network, a = argmax_a Q(s, a): one forward pass of a single observation through
/// <see cref="MlpWorkspace.ForwardSingle"/> (no allocation, about a microsecond). It reads the network's live weights,
/// so it always acts with the current parameters. A dueling network's output [V, A₀, …] is first turned into Q by
/// <see cref="DuelingHead.Forward"/>, exactly as the update computes it, so ties break the same way.
/// </summary>
public sealed class GreedyPolicy : IPolicy
{
    private readonly MlpWorkspace _workspace;
    private readonly float[] _q;

    public GreedyPolicy(Sequential network, bool dueling)
    {
        ArgumentNullException.ThrowIfNull(network);
        _workspace = new MlpWorkspace(network);
        Dueling = dueling;
        if (dueling && _workspace.OutFeatures < 2)
            throw new ArgumentException($"A dueling network outputs V and at least one advantage, but this one outputs {_workspace.OutFeatures} value(s).", nameof(network));
        ActionCount = dueling ? _workspace.OutFeatures - 1 : _workspace.OutFeatures;
        _q = new float[ActionCount];
    }

    public bool Dueling { get; }

    public int ObservationSize => _workspace.InFeatures;

    public int ActionCount { get; }

    public int Act(ReadOnlySpan<float> observation)
    {
        if (!Dueling)
            return _workspace.ForwardArgMax(observation);
        DuelingHead.Forward(_workspace.ForwardSingle(observation), ActionCount, _q);
        return EpsilonGreedy.Argmax(_q);
    }
}
