namespace Training.Reporting;

/// <summary>Events per second between successive readings of a growing counter (for env steps/s, updates/s).</summary>
internal sealed class RateMeter
{
    private long _lastCount;
    private double _lastSeconds;

    /// <summary>(count − previous count) / (seconds − previous seconds); 0 when no time passed. Remembers this reading.</summary>
    public double Rate(long count, double seconds)
    {
        double dt = seconds - _lastSeconds;
        double rate = dt > 0 ? (count - _lastCount) / dt : 0;
        _lastCount = count;
        _lastSeconds = seconds;
        return rate;
    }
}
