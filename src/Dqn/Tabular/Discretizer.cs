using Training.Runs;
namespace Dqn.Tabular;

/// <summary>
/// Maps a continuous observation to one table row: component i is clipped to [low[i], high[i]], cut into bins[i]
/// equal bins, and the bin numbers are combined in mixed radix (the last component varies fastest), giving an index in
/// [0, Π bins[i]). Values outside the range fall in the first or last bin.
/// </summary>
public sealed class Discretizer
{
    private readonly int[] _bins;
    private readonly double[] _low;
    private readonly double[] _high;

    /// <summary>A discretiser with <paramref name="bins"/>[i] bins over [<paramref name="low"/>[i], <paramref name="high"/>[i]] for component i.</summary>
    /// <exception cref="ArgumentException">When the three lists differ in length or are empty, a low is not below its high, or there are more than <see cref="int.MaxValue"/> states.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When a bin count is below 1.</exception>
    public Discretizer(IReadOnlyList<int> bins, IReadOnlyList<double> low, IReadOnlyList<double> high)
    {
        ArgumentNullException.ThrowIfNull(bins);
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        if (bins.Count == 0 || low.Count != bins.Count || high.Count != bins.Count)
            throw new ArgumentException($"bins, low and high need one entry per observation component, got {bins.Count}, {low.Count} and {high.Count}.");
        long states = 1;
        for (int i = 0; i < bins.Count; i++)
        {
            if (bins[i] < 1)
                throw new ArgumentOutOfRangeException(nameof(bins), bins[i], $"bins[{i}] must be ≥ 1.");
            if (!double.IsFinite(low[i]) || !double.IsFinite(high[i]) || !(low[i] < high[i]))
                throw new ArgumentException($"low[{i}] must be < high[{i}] (both finite), got {low[i]} and {high[i]}.", nameof(low));
            states *= bins[i];
            if (states > int.MaxValue)
                throw new ArgumentException($"The bins make more than {int.MaxValue} states.", nameof(bins));
        }
        _bins = [.. bins];
        _low = [.. low];
        _high = [.. high];
        StateCount = (int)states;
    }

    /// <summary>Number of components an observation must have.</summary>
    public int ObservationSize => _bins.Length;

    /// <summary>Π bins[i]: the number of table rows.</summary>
    public int StateCount { get; }

    /// <summary>The bin of component <paramref name="component"/> for value <paramref name="value"/>, in [0, bins[component]).</summary>
    public int Bin(int component, float value)
    {
        if (float.IsNaN(value))
            throw new ArgumentException($"Observation component {component} is NaN; it cannot be discretised.", nameof(value));
        int bins = _bins[component];
        // bin = ⌊(clip(x, low, high) − low) / (high − low) · bins⌋, with x = high put in the last bin.
        double x = Math.Clamp(value, _low[component], _high[component]);
        int bin = (int)((x - _low[component]) / (_high[component] - _low[component]) * bins);
        return Math.Min(bin, bins - 1);
    }

    /// <summary>The table row of <paramref name="observation"/>.</summary>
    public int Index(ReadOnlySpan<float> observation)
    {
        if (observation.Length != _bins.Length)
            throw new ArgumentException($"Observation has {observation.Length} components, the discretiser expects {_bins.Length}.", nameof(observation));
        int index = 0;
        for (int i = 0; i < _bins.Length; i++)
            index = index * _bins[i] + Bin(i, observation[i]);
        return index;
    }
}
