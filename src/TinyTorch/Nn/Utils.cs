using System.Globalization;
using System.Numerics.Tensors;

namespace TinyTorch.Nn;

/// <summary>Gradient clipping, where PyTorch keeps it (<c>torch.nn.utils.clip_grad_norm_</c>, <c>clip_grad_value_</c>).</summary>
public static class Utils
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their total norm is at most
    /// <paramref name="maxNorm"/>, and returns the total norm before clipping (PyTorch 1.13's <c>clip_grad_norm_</c>).
    /// The norm is taken over all gradients together, as if concatenated; parameters without a gradient are skipped.
    /// <paramref name="normType"/> is any p &gt; 0 or <see cref="double.PositiveInfinity"/> for the max-norm.
    /// A non-finite total norm makes the gradients non-finite too, as in PyTorch, unless
    /// <paramref name="errorIfNonfinite"/> asks for an exception.
    /// </summary>
    public static double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"ClipGradNorm: maxNorm must be >= 0, got {Format(maxNorm)}.");
        if (!(normType > 0))
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"ClipGradNorm: normType must be > 0 or infinity, got {Format(normType)}.");

        // total = max_i |g_i| for p = ∞, else (Σ_tensors ‖g‖_p^p)^(1/p), the p-norm of the per-tensor p-norms
        double total = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Grad is not { } grad)
                continue;
            if (double.IsPositiveInfinity(normType))
                total = Math.Max(total, grad.Count == 0 ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(grad.Data)));
            else
                total += Math.Pow(TensorNorm(grad.Data, normType), normType);
        }
        if (!double.IsPositiveInfinity(normType))
            total = Math.Pow(total, 1 / normType);
        if (errorIfNonfinite && !double.IsFinite(total))
            throw new InvalidOperationException($"ClipGradNorm: the total norm of order {Format(normType)} of the gradients is {Format(total)}, so they cannot be clipped.");

        // clip_coef = max_norm / (total + 1e-6), applied only when it shrinks (a NaN coefficient spreads, as in PyTorch)
        double clipCoef = maxNorm / (total + 1e-6);
        if (!(clipCoef >= 1))
        {
            for (int i = 0; i < parameters.Count; i++)
                if (parameters[i].Grad is { } grad)
                    TensorPrimitives.Multiply(grad.Data, (float)clipCoef, grad.Data);
        }
        return total;
    }

    /// <summary>Clamps every gradient element to [−clipValue, clipValue] in place (PyTorch's <c>clip_grad_value_</c>).</summary>
    public static void ClipGradValue(IReadOnlyList<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0))
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, $"ClipGradValue: clipValue must be >= 0, got {Format(clipValue)}.");
        float c = (float)clipValue;
        for (int i = 0; i < parameters.Count; i++)
            if (parameters[i].Grad is { } grad)
                TensorPrimitives.Clamp(grad.Data, -c, c, grad.Data);
    }

    /// <summary>‖g‖_p of one tensor: TensorPrimitives for p = 1 and 2, a double-precision sum otherwise.</summary>
    private static double TensorNorm(ReadOnlySpan<float> g, double p)
    {
        if (p == 2)
            return TensorPrimitives.Norm(g);
        if (p == 1)
            return TensorPrimitives.SumOfMagnitudes(g);
        double sum = 0;
        foreach (float x in g)
            sum += Math.Pow(Math.Abs(x), p);
        return Math.Pow(sum, 1 / p);
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
