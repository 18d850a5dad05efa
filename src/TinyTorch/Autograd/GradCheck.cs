namespace TinyTorch;

/// <summary>
/// Checks autograd against central finite differences, like PyTorch's <c>torch.autograd.gradcheck</c> but made
/// to work in float32.
///
/// For y = f(inputs), a fixed random projection w turns any output into one number L = Σⱼ wⱼ·yⱼ in which every
/// output element counts (each |wⱼ| is in [0.5, 1.5), so none is near 0). Autograd gives ∂L/∂x through
/// <c>y.Backward(w)</c>; the numeric gradient of each input element is the central difference
///   ∂L/∂xₖ ≈ (L(x + h·eₖ) − L(x − h·eₖ)) / (2h),   h = eps·max(1, |xₖ|),
/// taken with the step that float32 can actually represent around xₖ. An element passes when
/// |analytic − numeric| ≤ atol + rtol·|numeric|.
///
/// Why these defaults. The forward runs in float32 while L is summed in double, so the noise in L is the float32
/// rounding of the outputs that xₖ moves; that noise divided by 2h is the rounding error of the numeric gradient,
/// while h²/6·|f‴| is its truncation error. The textbook balance for float32 is h ≈ ε^(1/3) ≈ 4e-3, and a sum of K
/// products (a matmul) multiplies the rounding noise by about √K, which pushes the best step up. Measured on this
/// project's ~350 op checks with six projection seeds, the largest |analytic − numeric| / tolerance was 0.94 at
/// eps = 1e-3 (rounding noise of a [17,33]·[33,3] matmul), 0.50 at 3e-3, 0.19 at 5e-3 and 0.14 at 1e-2. Hence
/// eps = 5e-3: five times below the tolerance, with half the step (and half the no-go zone around kinks) of 1e-2.
/// With atol = 1e-3 and rtol = 1e-2, a gradient of order 1 that is wrong by more than about 1.1% fails.
/// Keep test inputs more than h away from kinks (relu at 0, ties of max, |d| = β in the Huber loss).
/// </summary>
public static class GradCheck
{
    /// <summary>Relative step h = eps·max(1, |xₖ|) of the central differences (why 5e-3: see the class remarks).</summary>
    public const double DefaultEps = 5e-3;
    /// <summary>Absolute tolerance: an element passes when |analytic − numeric| ≤ atol + rtol·|numeric|.</summary>
    public const double DefaultAtol = 1e-3;
    /// <summary>Relative tolerance: an element passes when |analytic − numeric| ≤ atol + rtol·|numeric|.</summary>
    public const double DefaultRtol = 1e-2;

    /// <summary>
    /// Compares autograd with finite differences for every element of every input that has
    /// <see cref="Tensor.RequiresGrad"/> set; the others are constants. The inputs themselves are not touched:
    /// <paramref name="function"/> receives copies. It must be deterministic and must not modify its inputs.
    /// </summary>
    public static GradCheckResult Check(Func<Tensor[], Tensor> function, Tensor[] inputs,
        double eps = DefaultEps, double atol = DefaultAtol, double rtol = DefaultRtol, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        var xs = new Tensor[inputs.Length];
        bool anyRequiresGrad = false;
        for (int i = 0; i < inputs.Length; i++)
        {
            xs[i] = inputs[i].Clone().RequiresGrad_(inputs[i].RequiresGrad);
            anyRequiresGrad |= inputs[i].RequiresGrad;
        }
        if (!anyRequiresGrad)
            throw new ArgumentException("GradCheck: no input has RequiresGrad set; set it on the inputs to differentiate by.", nameof(inputs));

        Tensor y = function(xs);
        int[] outShape = y.Shape.ToArray();
        float[] w = Projection(y.Count, seed);
        if (y.RequiresGrad)
            y.Backward(new Tensor(w, outShape));

        double maxAbs = 0, maxRel = 0, worstRatio = -1, worstAnalytic = 0, worstNumeric = 0;
        int worstInput = -1, worstFlat = 0;
        using (Torch.NoGrad())
        {
            for (int i = 0; i < xs.Length; i++)
            {
                if (!xs[i].RequiresGrad)
                    continue;
                float[] data = xs[i].Data;
                float[]? analytic = xs[i].Grad?.Data;
                for (int k = 0; k < data.Length; k++)
                {
                    float x0 = data[k];
                    double h = eps * Math.Max(1.0, Math.Abs(x0));
                    float xPlus = (float)(x0 + h), xMinus = (float)(x0 - h);
                    data[k] = xPlus;
                    double lPlus = Project(function(xs), w, outShape);
                    data[k] = xMinus;
                    double lMinus = Project(function(xs), w, outShape);
                    data[k] = x0;

                    double numeric = (lPlus - lMinus) / ((double)xPlus - xMinus);
                    double a = analytic?[k] ?? 0.0;  // no path from this input to the output: a zero gradient
                    double error = Math.Abs(a - numeric);
                    double ratio = error / (atol + rtol * Math.Abs(numeric));
                    if (double.IsNaN(ratio))
                        ratio = double.PositiveInfinity;
                    maxAbs = Math.Max(maxAbs, error);
                    maxRel = Math.Max(maxRel, error / Math.Max(Math.Abs(numeric), atol));
                    if (ratio > worstRatio)
                        (worstRatio, worstInput, worstFlat, worstAnalytic, worstNumeric) = (ratio, i, k, a, numeric);
                }
            }
        }
        int[] worstIndex = worstInput < 0 ? [] : Unravel(worstFlat, xs[worstInput].Shape);
        return new GradCheckResult(worstRatio <= 1, maxAbs, maxRel, worstInput, worstIndex, worstAnalytic, worstNumeric, atol, rtol);
    }

    /// <summary>As <see cref="Check"/>, throwing a <see cref="GradCheckException"/> that describes the worst element when the check fails.</summary>
    public static GradCheckResult Assert(Func<Tensor[], Tensor> function, Tensor[] inputs,
        double eps = DefaultEps, double atol = DefaultAtol, double rtol = DefaultRtol, ulong seed = 0)
    {
        GradCheckResult result = Check(function, inputs, eps, atol, rtol, seed);
        if (!result.Passed)
            throw new GradCheckException(result);
        return result;
    }

    /// <summary>wⱼ = ±u with u uniform in [0.5, 1.5): random so that no structure of the op cancels, never near 0.</summary>
    private static float[] Projection(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var w = new float[count];
        for (int j = 0; j < count; j++)
        {
            float magnitude = 0.5f + rng.NextFloat();
            w[j] = rng.NextInt(2) == 0 ? magnitude : -magnitude;
        }
        return w;
    }

    /// <summary>L = Σⱼ wⱼ·yⱼ accumulated in double, so that the sum adds no rounding of its own.</summary>
    private static double Project(Tensor y, float[] w, int[] expectedShape)
    {
        if (!y.Shape.SequenceEqual(expectedShape))
            throw new InvalidOperationException(
                $"GradCheck: the function returned shape {Tensor.FormatShape(y.Shape)} for perturbed inputs but {Tensor.FormatShape(expectedShape)} at first; it must be deterministic.");
        double sum = 0;
        for (int j = 0; j < w.Length; j++)
            sum += (double)w[j] * y.Data[j];
        return sum;
    }

    private static int[] Unravel(int flat, ReadOnlySpan<int> shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
