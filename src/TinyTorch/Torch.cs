namespace TinyTorch;

/// <summary>
/// Factory functions named as in PyTorch (<c>torch.zeros</c> → <c>Torch.Zeros</c>).
/// Random ones take an explicit <see cref="Rng"/>: there is no global seed.
/// </summary>
public static class Torch
{
    /// <summary>
    /// Sets the threads TinyTorch's large matrix products use (torch.set_num_threads): 1 (the default) keeps every
    /// product on the calling thread. Products of at least 8 MFLOP (<see cref="Kernels.MatMulThreads.MinFlops"/>) are
    /// then split by rows across a pool of <paramref name="threads"/> − 1 workers and the caller; the results are the
    /// same to the bit. Smaller products, and products started while another one holds the pool, stay on one thread;
    /// so do all products for a while after splits have lost more time than they saved (another process on a core).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public static void SetNumThreads(int threads) => Kernels.MatMulThreads.Threads = threads;

    /// <summary>The threads large matrix products use (torch.get_num_threads); see <see cref="SetNumThreads"/>.</summary>
    public static int GetNumThreads() => Kernels.MatMulThreads.Threads;

    /// <summary>A tensor of <paramref name="shape"/> filled with 0 (<c>torch.zeros</c>).</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[Numel(shape)], shape);

    /// <summary>A tensor of <paramref name="shape"/> filled with 1 (<c>torch.ones</c>).</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/> (<c>torch.full</c>).</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var data = new float[Numel(shape)];
        Array.Fill(data, value);
        return new Tensor(data, shape);
    }

    /// <summary>A 0-dim tensor (shape []) holding <paramref name="value"/> (<c>torch.tensor(value)</c>).</summary>
    public static Tensor Scalar(float value) => new([value]);

    /// <summary>A tensor holding a copy of <paramref name="values"/>; the shape defaults to 1-D.</summary>
    public static Tensor FromArray(float[] values, params int[] shape) =>
        new((float[])values.Clone(), shape.Length == 0 ? [values.Length] : shape);

    /// <summary>A 2-D tensor from rows of equal length.</summary>
    public static Tensor FromRows(float[][] rows)
    {
        int cols = rows.Length == 0 ? 0 : rows[0].Length;
        var data = new float[rows.Length * cols];
        for (int r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != cols)
                throw new ArgumentException($"Row {r} has {rows[r].Length} values, expected {cols} like row 0.", nameof(rows));
            rows[r].CopyTo(data, r * cols);
        }
        return new Tensor(data, rows.Length, cols);
    }

    /// <summary>Uniform values in [low, high) drawn from <paramref name="rng"/>.</summary>
    public static Tensor Uniform(Rng rng, float low, float high, params int[] shape)
    {
        var data = new float[Numel(shape)];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)rng.Uniform(low, high);
        return new Tensor(data, shape);
    }

    /// <summary>Uniform values in [0, 1) (PyTorch's <c>torch.rand</c>).</summary>
    public static Tensor Rand(Rng rng, params int[] shape) => Uniform(rng, 0f, 1f, shape);

    /// <summary>Standard normal values (PyTorch's <c>torch.randn</c>).</summary>
    public static Tensor Randn(Rng rng, params int[] shape)
    {
        var data = new float[Numel(shape)];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)rng.NextNormal();
        return new Tensor(data, shape);
    }

    /// <summary>Disables graph recording until disposed: <c>using (Torch.NoGrad()) { ... }</c>.</summary>
    public static NoGradScope NoGrad() => new();

    /// <summary>False inside a <see cref="NoGrad"/> scope.</summary>
    public static bool IsGradEnabled => NoGradScope.Depth == 0;

    internal static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Shape {Tensor.FormatShape(shape)} has a negative dimension.");
            n *= d;
        }
        if (n > Array.MaxLength)
            throw new ArgumentException($"Shape {Tensor.FormatShape(shape)} is too large.");
        return (int)n;
    }
}
