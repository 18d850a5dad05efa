namespace TinyTorch;

/// <summary>Thrown by <see cref="GradCheck.Assert"/> when an autograd gradient disagrees with finite differences.</summary>
public sealed class GradCheckException(GradCheckResult result)
    : Exception($"Gradient check {result}.")
{
    /// <summary>The failed check, with its worst element.</summary>
    public GradCheckResult Result { get; } = result;
}
