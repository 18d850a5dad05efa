using System.Globalization;

namespace Training.Config;

/// <summary>
/// The values a number may take, with the words that say so ("in [0, 1]", "≥ 1"). One instance per rule, reused by
/// every layer that checks it (the config, the CLI, the update, the replay), so γ, the learning rate and an action
/// index are each checked once and reported in the same words: "<c>{name} must be {range}, got {value}.</c>".
/// </summary>
public sealed class ValueRange
{
    private readonly Func<double, bool> _contains;

    private ValueRange(string text, Func<double, bool> contains)
    {
        Text = text;
        _contains = contains;
    }

    /// <summary>How the range reads after "must be", e.g. "in [0, 1]".</summary>
    public string Text { get; }

    /// <summary>Any finite number.</summary>
    public static ValueRange Finite { get; } = new("a finite number", double.IsFinite);

    /// <summary>A finite number &gt; 0 (a learning rate, a clipping norm, the priority ε).</summary>
    public static ValueRange Positive { get; } = new("a finite number > 0", v => v > 0 && double.IsFinite(v));

    /// <summary>A finite number ≥ 0 (the priority exponent α).</summary>
    public static ValueRange NonNegative { get; } = new("finite and ≥ 0", v => v >= 0 && double.IsFinite(v));

    /// <summary>[0, 1]: a probability or a fraction (ε, exploration_fraction, β₀).</summary>
    public static ValueRange UnitInterval { get; } = new("in [0, 1]", v => v >= 0 && v <= 1);

    /// <summary>(0, 1]: a step size that must move (τ of the target update, α of tabular Q-learning).</summary>
    public static ValueRange StepSize { get; } = new("in (0, 1]", v => v > 0 && v <= 1);

    /// <summary>The discount γ of the return Σₖ γᵏ rₜ₊ₖ: in [0, 1].</summary>
    public static ValueRange Discount => UnitInterval;

    /// <summary>The optimizer's learning rate: a finite number &gt; 0.</summary>
    public static ValueRange LearningRate => Positive;

    /// <summary>Whole numbers ≥ <paramref name="min"/>.</summary>
    public static ValueRange AtLeast(long min) => new(string.Create(CultureInfo.InvariantCulture, $"≥ {min}"), v => v >= min);

    /// <summary>The index of one of <paramref name="count"/> actions: 0 … count − 1.</summary>
    public static ValueRange Actions(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new(string.Create(CultureInfo.InvariantCulture, $"an action in 0..{count - 1}"), v => v >= 0 && v < count && v == Math.Floor(v));
    }

    /// <summary>True when <paramref name="value"/> is in the range.</summary>
    public bool Contains(double value) => _contains(value);

    /// <summary>"<paramref name="name"/> must be …, got …." when <paramref name="value"/> is outside; null when inside.</summary>
    public string? Problem(string name, double value) =>
        Contains(value) ? null : $"{name} must be {Text}, got {Show(value)}.";

    /// <summary>Returns <paramref name="value"/>, or throws <see cref="ArgumentOutOfRangeException"/> with <see cref="Problem"/>'s message.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double Require(double value, string name) =>
        Problem(name, value) is { } problem ? throw new ArgumentOutOfRangeException(name, value, problem) : value;

    /// <summary>The range in words (<see cref="Text"/>).</summary>
    public override string ToString() => Text;

    /// <summary>A number as it round-trips ("0.001", "1E-06", "NaN").</summary>
    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
