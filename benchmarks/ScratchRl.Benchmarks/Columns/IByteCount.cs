namespace ScratchRl.Benchmarks.Columns;

/// <summary>
/// Implemented by a benchmark class whose benchmarks move a known number of bytes to or from memory, so that their
/// bandwidth (bytes / mean time) can be reported, as the roofline chart's memory line does.
/// </summary>
public interface IByteCount
{
    /// <summary>Bytes read plus bytes written by one call of the benchmark method named <paramref name="benchmark"/>.</summary>
    double Bytes(string benchmark);
}
