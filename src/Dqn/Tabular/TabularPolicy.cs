using Training.Policies;
using Training.Runs;

namespace Dqn.Tabular;

/// <summary>The greedy policy of a Q-table: a = argmax_a Q(discretise(observation), a).</summary>
public sealed class TabularPolicy(Discretizer discretizer, QTable table) : IPolicy
{
    public Discretizer Discretizer { get; } = discretizer;

    public QTable Table { get; } = table;

    public int Act(ReadOnlySpan<float> observation) => Table.Greedy(Discretizer.Index(observation));
}
