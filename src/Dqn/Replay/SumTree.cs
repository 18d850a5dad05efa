using System.Numerics;

namespace Dqn.Replay;

/// <summary>
/// A binary segment tree over leaf values pᵢ ≥ 0 whose every inner node holds the sum of its two children, so the
/// root is Σ pᵢ. Setting a leaf and finding the leaf where a prefix sum falls are both O(log N): this is what makes
/// proportional prioritized sampling cheap (Schaul et al. 2016, appendix B.2.1). Stored as an array: node 1 is the
/// root, node k has children 2k and 2k + 1, leaves sit at [size, 2·size) with size the capacity rounded up to a power
/// of two (extra leaves stay 0). Sums are doubles so that millions of updates do not drift; every update recomputes
/// its ancestors from their children instead of adding deltas.
/// </summary>
internal sealed class SumTree
{
    private readonly double[] _nodes;
    private readonly int _size;

    public SumTree(int capacity)
    {
        if (capacity <= 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Tree capacity must be at least 1.");
        Capacity = capacity;
        _size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _nodes = new double[2 * _size];
    }

    public int Capacity { get; }

    /// <summary>Σ pᵢ over all leaves.</summary>
    public double Total => _nodes[1];

    /// <summary>The value of leaf <paramref name="index"/>.</summary>
    public double this[int index] => _nodes[_size + CheckIndex(index)];

    /// <summary>Sets leaf <paramref name="index"/> to <paramref name="value"/> and refreshes the sums on its path to the root.</summary>
    public void Set(int index, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "A sum-tree value must be finite and ≥ 0.");
        int node = _size + CheckIndex(index);
        _nodes[node] = value;
        for (node /= 2; node >= 1; node /= 2)
            _nodes[node] = _nodes[2 * node] + _nodes[2 * node + 1];
    }

    /// <summary>
    /// The leaf i with Σ_{j&lt;i} pⱼ ≤ <paramref name="prefix"/> &lt; Σ_{j≤i} pⱼ, i.e. the leaf a uniform draw
    /// u ∈ [0, Total) lands in, so leaf i is found with probability pᵢ / Total. Leaves with pᵢ = 0 are never returned:
    /// a prefix at or past Total (round-off) yields the last leaf with a positive value.
    /// </summary>
    public int FindPrefixSum(double prefix)
    {
        if (!(Total > 0))
            throw new InvalidOperationException("Cannot sample from a sum tree whose total is 0.");
        int node = 1;
        while (node < _size)
        {
            int left = 2 * node;
            // Go right only when the prefix passes the left sum and the right side has mass to land on.
            if (prefix >= _nodes[left] && _nodes[left + 1] > 0)
            {
                prefix -= _nodes[left];
                node = left + 1;
            }
            else
            {
                node = left;
            }
        }
        return node - _size;
    }

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Capacity)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Leaf index must be in [0, {Capacity}).");
        return index;
    }
}
