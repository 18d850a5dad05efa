using Dqn.Update;
using TinyTorch.Nn;
using Training.Policies;
using Training.Runs;

namespace Dqn.Training;

/// <summary>The greedy policy of a Q-network, a = argmax_a Q(s, a), plain or dueling.</summary>
internal static class QNetworkPolicy
{
    /// <summary>
    /// argmax_a Q(s, a) of <paramref name="qNetwork"/>; with <paramref name="dueling"/> its outputs [V, A₀, …] are first
    /// turned into Q by <see cref="DuelingHead.Forward"/>, exactly as the update computes Q.
    /// </summary>
    public static GreedyPolicy Greedy(Sequential qNetwork, bool dueling)
    {
        ArgumentNullException.ThrowIfNull(qNetwork);
        int outputs = qNetwork.OfType<Linear>().Last().OutFeatures;
        if (!dueling)
            return new GreedyPolicy(qNetwork, outputs);
        if (outputs < 2)
            throw new ArgumentException($"A dueling network outputs V and at least one advantage, but this one outputs {outputs} value(s).", nameof(qNetwork));
        return new GreedyPolicy(qNetwork, outputs - 1, static (output, q) => DuelingHead.Forward(output, q.Length, q));
    }
}
