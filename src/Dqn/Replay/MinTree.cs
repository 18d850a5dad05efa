using System.Numerics;

namespace Dqn.Replay;

/// <summary>
/// The same segment tree as <see cref="SumTree"/> with min instead of +: the root is minᵢ pᵢ over the leaves that
/// were set, in O(log N) per update. Prioritized replay needs it for the largest importance weight,
/// max wᵢ = (N · P_min)^−β, which normalises the weights of a batch. Unset leaves are +∞ so they never win.
/// </summary>
internal sealed class MinTree
{
    private readonly double[] _nodes;
    private readonly int _size;

    public MinTree(int capacity)
    {
        if (capacity <= 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Tree capacity must be at least 1.");
        Capacity = capacity;
        _size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _nodes = new double[2 * _size];
        Array.Fill(_nodes, double.PositiveInfinity);
    }

    public int Capacity { get; }

    /// <summary>minᵢ pᵢ over the leaves set so far (+∞ before any).</summary>
    public double Min => _nodes[1];

    public double this[int index] => _nodes[_size + CheckIndex(index)];

    public void Set(int index, double value)
    {
        if (double.IsNaN(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "A min-tree value must not be NaN.");
        int node = _size + CheckIndex(index);
        _nodes[node] = value;
        for (node /= 2; node >= 1; node /= 2)
            _nodes[node] = Math.Min(_nodes[2 * node], _nodes[2 * node + 1]);
    }

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Capacity)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Leaf index must be in [0, {Capacity}).");
        return index;
    }
}
