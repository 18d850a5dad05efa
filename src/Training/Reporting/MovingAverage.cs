using System.Numerics.Tensors;

namespace Training.Reporting;

/// <summary>The mean of the last <see cref="Window"/> values added (fewer at the start), in O(1) per value.</summary>
internal sealed class MovingAverage
{
    private readonly double[] _values;
    private int _next;
    private double _sum;

    public MovingAverage(int window)
    {
        if (window < 1)
            throw new ArgumentOutOfRangeException(nameof(window), window, "Moving-average window must be at least 1.");
        _values = new double[window];
    }

    public int Window => _values.Length;

    /// <summary>Values currently averaged (≤ Window).</summary>
    public int Count { get; private set; }

    /// <summary>The mean of the values in the window, NaN before the first value.</summary>
    public double Value => Count == 0 ? double.NaN : _sum / Count;

    public void Add(double value)
    {
        if (Count == Window)
            _sum -= _values[_next];
        else
            Count++;
        _values[_next] = value;
        _sum += value;
        _next = (_next + 1) % Window;
        // Re-add from scratch once per lap so rounding from the running subtraction cannot pile up.
        if (_next == 0)
            _sum = TensorPrimitives.Sum<double>(_values.AsSpan(0, Count));
    }

    public void Clear()
    {
        Count = 0;
        _next = 0;
        _sum = 0;
    }
}
