using Training.Policies;
using Training.Runs;

namespace Dqn.Tabular;

/// <summary>The greedy policy of a Q-table: a = argmax_a Q(discretise(observation), a).</summary>
public sealed class TabularPolicy(Discretizer discretizer, QTable table) : IPolicy
{
    /// <summary>Maps an observation to its table row.</summary>
    public Discretizer Discretizer { get; } = discretizer;

    /// <summary>The action values.</summary>
    public QTable Table { get; } = table;

    /// <summary>argmax_a Q(discretise(<paramref name="observation"/>), a), the lowest action on ties.</summary>
    public int Act(ReadOnlySpan<float> observation) => Table.Greedy(Discretizer.Index(observation));
}
