namespace TinyTorch.Nn;

/// <summary>
/// Weight initialisations where PyTorch keeps them (<c>torch.nn.init</c>), filling a tensor in place. Random ones draw
/// from an explicit <see cref="Rng"/>.
/// </summary>
public static class Init
{
    /// <summary>
    /// Fills <paramref name="tensor"/> (2-D or more, seen as [rows, numel/rows]) with a (semi-)orthogonal matrix times
    /// <paramref name="gain"/> (PyTorch's <c>orthogonal_</c>, as CleanRL's <c>layer_init</c> uses it): draw a Gaussian
    /// matrix G (transposed when rows &lt; cols, so that it is tall), factor G = QR, and take Q with the signs fixed so
    /// that diag(R) &gt; 0, which makes Q uniformly (Haar) distributed. Here Q comes from modified Gram–Schmidt in
    /// double precision, whose R has a positive diagonal by construction: the sign fix is built in. The result W has
    /// orthonormal rows (W·Wᵀ = gain²·I) when rows ≤ cols, orthonormal columns (Wᵀ·W = gain²·I) otherwise.
    /// The Gaussian draws differ from PyTorch's generator, so the values do too; the distribution is the same.
    /// </summary>
    /// <exception cref="ArgumentException">When the tensor has fewer than 2 dimensions or the draw is rank-deficient.</exception>
    public static Tensor Orthogonal_(Tensor tensor, Rng rng, double gain = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        if (tensor.Rank < 2)
            throw new ArgumentException($"orthogonal_: only tensors with 2 or more dimensions are supported, got shape {Tensor.FormatShape(tensor.Shape)}.", nameof(tensor));
        int rows = tensor.Size(0), cols = tensor.Count / rows;
        bool transposed = rows < cols;
        // G is tall, [n, k] with n ≥ k: its k columns are orthonormalised.
        int n = transposed ? cols : rows, k = transposed ? rows : cols;
        var g = new double[n * k];
        for (int i = 0; i < g.Length; i++)
            g[i] = rng.NextNormal();

        for (int j = 0; j < k; j++)
        {
            // qⱼ ← gⱼ − Σ_{p<j} (q_p·gⱼ)·q_p, one projection at a time (modified Gram–Schmidt)
            for (int p = 0; p < j; p++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++)
                    dot += g[i * k + p] * g[i * k + j];
                for (int i = 0; i < n; i++)
                    g[i * k + j] -= dot * g[i * k + p];
            }
            // r_jj = ‖qⱼ‖ > 0, qⱼ ← qⱼ / r_jj
            double norm = 0;
            for (int i = 0; i < n; i++)
                norm += g[i * k + j] * g[i * k + j];
            norm = Math.Sqrt(norm);
            if (!(norm > 0))
                throw new ArgumentException($"orthogonal_: the Gaussian draw is rank-deficient at column {j}; use another seed.", nameof(rng));
            for (int i = 0; i < n; i++)
                g[i * k + j] /= norm;
        }

        // W = gain·Q, or gain·Qᵀ when the draw was transposed
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                tensor.Data[r * cols + c] = (float)(gain * (transposed ? g[c * k + r] : g[r * k + c]));
        return tensor;
    }

    /// <summary>Fills <paramref name="tensor"/> with <paramref name="value"/> (PyTorch's <c>constant_</c>).</summary>
    public static Tensor Constant_(Tensor tensor, float value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Array.Fill(tensor.Data, value);
        return tensor;
    }
}
