using System.Globalization;

namespace CartPole.Rendering;

/// <summary>
/// Fixed-point numbers with an explicit sign, for state tables and status lines, where columns of ± values line up.
/// </summary>
/// <remarks>
/// .NET's two-section format <c>"+0.0000;-0.0000"</c> prints a negative value that rounds to zero (−0.00001, and −0.0
/// itself) with the first section behind a minus: <c>-+0.0000</c>. Here the sign is chosen after rounding.
/// </remarks>
public static class SignedNumber
{
    /// <summary>
    /// <paramref name="value"/> with <paramref name="decimals"/> digits after the point (invariant culture, rounded as
    /// .NET's "F" format rounds), always signed: '-' when the rounded value is negative, '+' otherwise, so every value
    /// that rounds to zero prints as <c>+0.000…</c>. NaN and infinities print as .NET prints them.
    /// Throws when <paramref name="decimals"/> is outside 0 … 15.
    /// </summary>
    public static string Format(double value, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 15);
        var inv = CultureInfo.InvariantCulture;
        if (!double.IsFinite(value))
            return value.ToString(inv);
        string magnitude = Math.Abs(value).ToString("F" + decimals.ToString(inv), inv);
        bool roundsToZero = magnitude.AsSpan().IndexOfAnyExcept('0', '.') < 0;
        return (value < 0 && !roundsToZero ? "-" : "+") + magnitude;
    }
}
