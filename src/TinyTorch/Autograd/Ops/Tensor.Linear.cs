using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = x·Wᵀ + b, PyTorch's <c>F.linear(x, weight, bias)</c>: x is [B, in] (or [in], giving [out]),
    /// <paramref name="weight"/> is [out, in] as stored by <c>nn.Linear</c>, <paramref name="bias"/> is [out] or null.
    /// Fused into one op so the batch needs one matmul and no transposed copy of W.
    /// Local gradients, with g = ∂L/∂y of shape [B, out]:
    /// ∂L/∂x = g·W [B, in], ∂L/∂W = gᵀ·x [out, in], ∂L/∂b = Σ_batch g [out].
    /// </summary>
    public Tensor Linear(Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
            throw new ArgumentException($"linear: weight must be 2-D [out, in], got shape {FormatShape(weight.Shape)}.", nameof(weight));
        int outFeatures = weight.Size(0), inFeatures = weight.Size(1);
        if ((Rank != 1 && Rank != 2) || _shape[^1] != inFeatures)
            throw ShapeCheck.Mismatch("linear", this, weight, $"input [B, {inFeatures}] or [{inFeatures}] for weight [out, in]");
        if (bias is not null && (bias.Rank != 1 || bias.Count != outFeatures))
            throw ShapeCheck.Mismatch("linear", weight, bias, $"bias [{outFeatures}] for weight [{outFeatures}, {inFeatures}]");

        int batch = Rank == 2 ? _shape[0] : 1;
        int[] yShape = Rank == 2 ? [batch, outFeatures] : [outFeatures];
        var y = new Tensor(new float[batch * outFeatures], yShape);

        // y[i,:] = b, then y += x·Wᵀ (W is stored [out, in], so this is the A·Bᵀ form)
        if (bias is not null)
            for (int i = 0; i < batch; i++)
                bias.Data.CopyTo(y.Data, i * outFeatures);
        Kernels.MatMul.MultiplyTransposedB(Data, weight.Data, y.Data, batch, inFeatures, outFeatures, accumulate: bias is not null);

        Tensor x = this;
        return Record(y, bias is null ? "MmBackward" : "AddmmBackward", g =>
        {
            // ∂L/∂x += g·W: [B, out]·[out, in]
            if (x.RequiresGrad)
                Kernels.MatMul.Multiply(g.Data, weight.Data, x.GradBuffer(), batch, outFeatures, inFeatures, accumulate: true);
            // ∂L/∂W += gᵀ·x: g is stored [B, out], so this is the Aᵀ·B form with k = B
            if (weight.RequiresGrad)
                Kernels.MatMul.MultiplyTransposedA(g.Data, x.Data, weight.GradBuffer(), outFeatures, batch, inFeatures, accumulate: true);
            // ∂L/∂b += Σ_i g[i,:]: the bias was broadcast over the batch, so its gradient sums over it
            if (bias is not null && bias.RequiresGrad)
            {
                Span<float> db = bias.GradBuffer();
                for (int i = 0; i < batch; i++)
                    TensorPrimitives.Add(db, g.Data.AsSpan(i * outFeatures, outFeatures), db);
            }
        }, bias is null ? [x, weight] : [x, weight, bias]);
    }
}
