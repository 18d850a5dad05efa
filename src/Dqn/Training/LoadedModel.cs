using Training.Config;
using Training.Policies;
using TinyTorch.Nn;
using Training.Runs;

namespace Dqn.Training;

/// <summary>A model file read back by <see cref="ModelFile.Load"/>: its greedy policy and what it is.</summary>
public sealed record LoadedModel
{
    /// <summary>The file it was read from.</summary>
    public required string Path { get; init; }

    /// <summary>What trained it: dqn (a network) or qtable.</summary>
    public required Algorithm Algorithm { get; init; }

    /// <summary>The greedy policy: argmax_a Q(s, a).</summary>
    public required IPolicy Policy { get; init; }

    /// <summary>D, the length of the observations the policy reads.</summary>
    public required int ObservationSize { get; init; }

    /// <summary>|A|, the actions it picks from.</summary>
    public required int ActionCount { get; init; }

    /// <summary>One line for people, e.g. "MLP 4-128-128-2" or "Q-table, 72 states × 2 actions".</summary>
    public required string Description { get; init; }

    /// <summary>The network (null for a Q-table).</summary>
    public Sequential? Network { get; init; }

    /// <summary>True when the network's last layer outputs [V, A₀, …] (Q = V + A − mean(A)).</summary>
    public bool Dueling { get; init; }

    /// <summary>The file's metadata (empty when it has none, as in a file written by PyTorch).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
