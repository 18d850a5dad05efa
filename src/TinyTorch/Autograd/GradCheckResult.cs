using System.Globalization;

namespace TinyTorch;

/// <summary>
/// The outcome of <see cref="GradCheck.Check"/>: how far the autograd gradients are from central finite
/// differences, and the element that came closest to (or went furthest past) the tolerance.
/// An element passes when |analytic − numeric| ≤ Atol + Rtol·|numeric|.
/// </summary>
public sealed class GradCheckResult
{
    internal GradCheckResult(bool passed, double maxAbsError, double maxRelError, int worstInput, int[] worstIndex,
        double worstAnalytic, double worstNumeric, double atol, double rtol)
    {
        Passed = passed;
        MaxAbsError = maxAbsError;
        MaxRelError = maxRelError;
        WorstInput = worstInput;
        WorstIndex = worstIndex;
        WorstAnalytic = worstAnalytic;
        WorstNumeric = worstNumeric;
        Atol = atol;
        Rtol = rtol;
    }

    /// <summary>True when every checked element is within tolerance.</summary>
    public bool Passed { get; }

    /// <summary>max |analytic − numeric| over all checked elements.</summary>
    public double MaxAbsError { get; }

    /// <summary>max |analytic − numeric| / max(|numeric|, Atol): relative where the gradient is not tiny.</summary>
    public double MaxRelError { get; }

    /// <summary>Position in the inputs array of the worst element's tensor.</summary>
    public int WorstInput { get; }

    /// <summary>Multi-index of the worst element: the largest |analytic − numeric| / (Atol + Rtol·|numeric|).</summary>
    public int[] WorstIndex { get; }

    /// <summary>Autograd's gradient at the worst element.</summary>
    public double WorstAnalytic { get; }

    /// <summary>The finite-difference gradient at the worst element.</summary>
    public double WorstNumeric { get; }

    /// <summary>The absolute tolerance used.</summary>
    public double Atol { get; }

    /// <summary>The relative tolerance used.</summary>
    public double Rtol { get; }

    /// <summary>One line: passed or FAILED, the largest errors and the worst element.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Passed ? "passed" : "FAILED")}: max abs error {MaxAbsError:G3}, max rel error {MaxRelError:G3}; " +
        $"worst: input {WorstInput} at {Tensor.FormatShape(WorstIndex)}, analytic {WorstAnalytic:G7} vs numeric {WorstNumeric:G7} " +
        $"(tolerance {Atol:G3} + {Rtol:G3}·|numeric|)");
}
