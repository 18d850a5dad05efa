namespace TinyTorch.Tests.Autograd;

/// <summary>Seeded inputs for gradient checks, shaped to stay clear of the kinks finite differences cannot cross.</summary>
internal static class TestInputs
{
    /// <summary>Standard normal values that require grad.</summary>
    public static Tensor Randn(Rng rng, params int[] shape) => Torch.Randn(rng, shape).RequiresGrad_();

    /// <summary>Normal values pushed at least <paramref name="margin"/> away from 0 (relu's kink, a divisor's pole).</summary>
    public static Tensor AwayFromZero(Rng rng, float margin, params int[] shape)
    {
        Tensor t = Torch.Randn(rng, shape);
        for (int i = 0; i < t.Count; i++)
            if (MathF.Abs(t.Data[i]) < margin)
                t.Data[i] = t.Data[i] < 0 ? -margin - MathF.Abs(t.Data[i]) : margin + t.Data[i];
        return t.RequiresGrad_();
    }

    /// <summary>Uniform values in [low, high) (e.g. positive ones for log and fractional powers).</summary>
    public static Tensor Uniform(Rng rng, float low, float high, params int[] shape) =>
        Torch.Uniform(rng, low, high, shape).RequiresGrad_();

    /// <summary>
    /// A shuffled grid k·0.05 centred on 0: every pair of values is at least 0.05 apart, far more than the
    /// finite-difference step, so no perturbation can change which element is the maximum.
    /// </summary>
    public static Tensor Distinct(Rng rng, params int[] shape)
    {
        Tensor t = Torch.Zeros(shape);
        int n = t.Count;
        for (int i = 0; i < n; i++)
            t.Data[i] = (i - n / 2) * 0.05f;
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (t.Data[i], t.Data[j]) = (t.Data[j], t.Data[i]);
        }
        return t.RequiresGrad_();
    }

    /// <summary>Random column indices, one per row.</summary>
    public static int[] Indices(Rng rng, int rows, int cols)
    {
        var index = new int[rows];
        for (int r = 0; r < rows; r++)
            index[r] = rng.NextInt(cols);
        return index;
    }

    /// <summary>Runs the check and fails with the checker's own message; prints the result for the log.</summary>
    public static GradCheckResult Check(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        GradCheckResult result = GradCheck.Assert(f, inputs);
        TestContext.Out.WriteLine(result);
        return result;
    }
}
