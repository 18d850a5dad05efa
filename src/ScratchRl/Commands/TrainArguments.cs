using System.Globalization;
using ScratchRl.Cli;

namespace ScratchRl.Commands;

/// <summary>
/// Turns the text of a training flag into its value, or a <see cref="UsageException"/> that names the flag, what it
/// got and what it expects. Ranges are checked later, all at once, by <see cref="Training.Config.TrainConfig.Validate"/>.
/// </summary>
internal static class TrainArguments
{
    public static long Long(string flag, string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new UsageException($"{flag} must be a whole number, got '{text}'.");

    public static int Int(string flag, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new UsageException($"{flag} must be a whole number, got '{text}'.");

    public static ulong ULong(string flag, string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? value
            : throw new UsageException($"{flag} must be a whole number ≥ 0, got '{text}'.");

    /// <summary>A finite number ("1e-3", "0.99"); NaN and infinities are refused here, ranges by the config.</summary>
    public static double Double(string flag, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new UsageException($"{flag} must be a number, got '{text}'.");

    /// <summary>A comma-separated list of whole numbers: "128,128".</summary>
    public static int[] IntList(string flag, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[i]))
                throw new UsageException($"{flag} must be comma-separated whole numbers such as 128,128, got '{text}'.");
        }
        return values;
    }

    /// <summary>A comma-separated list of numbers: "-2.4,-3,-0.21,-0.87".</summary>
    public static double[] DoubleList(string flag, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new UsageException($"{flag} must be comma-separated numbers, got '{text}'.");
        }
        return values;
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive).</summary>
    public static T Choice<T>(string flag, string text, params (string Name, T Value)[] choices)
    {
        foreach (var (name, value) in choices)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        throw new UsageException($"{flag} must be {string.Join(" or ", choices.Select(c => c.Name))}, got '{text}'.");
    }
}
