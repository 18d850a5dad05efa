using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch's <c>mse_loss</c>, this tensor being the input x and <paramref name="target"/> t (same shape):
    ///   ℓᵢ = (xᵢ − tᵢ)², reduced by <paramref name="reduction"/>: loss = (1/n) Σᵢ ℓᵢ (mean, the default), Σᵢ ℓᵢ (sum)
    /// or the ℓᵢ themselves, shaped like x (none).
    /// Local gradients: ∂ℓᵢ/∂xᵢ = 2(xᵢ − tᵢ) and ∂ℓᵢ/∂tᵢ = −2(xᵢ − tᵢ), times 1/n for the mean (the target only
    /// receives it when it requires grad).
    /// </summary>
    public Tensor MseLoss(Tensor target, Reduction reduction = Reduction.Mean)
    {
        ShapeCheck.Same("mse_loss", this, target);
        Tensor x = this, t = target;
        int n = Count;
        var diff = new float[n];
        TensorPrimitives.Subtract(x.Data, t.Data, diff);
        Tensor loss;
        if (reduction == Reduction.None)
        {
            loss = new Tensor(new float[n], _shape);
            TensorPrimitives.Multiply(diff, diff, loss.Data);
        }
        else
        {
            loss = new Tensor([TensorPrimitives.SumOfSquares(diff) / LossDivisor(reduction, n)]);
        }
        return Record(loss, "MseLossBackward", dl =>
        {
            // ∂L/∂xᵢ = ∂L/∂ℓᵢ · 2dᵢ
            var g = new float[n];
            ScaleByUpstream(dl, reduction, n, diff, 2f, 1f, g);
            if (x.RequiresGrad)
                x.AccumulateGrad(g);
            if (t.RequiresGrad)
            {
                TensorPrimitives.Negate(g, g);
                t.AccumulateGrad(g);
            }
        }, x, t);
    }

    /// <summary>n for the mean, 1 for the sum; a reduction of 'none' has no divisor.</summary>
    private static float LossDivisor(Reduction reduction, int n) => reduction switch
    {
        Reduction.Mean => n,
        Reduction.Sum => 1f,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"loss reduction must be None, Mean or Sum, got {reduction}."),
    };

    /// <summary>
    /// g = ∂L/∂ℓ ⊙ local·(<paramref name="numerator"/>/<paramref name="denominator"/>), the chain rule through a loss
    /// whose local slope is that multiple of <paramref name="local"/>: with 'none' ∂L/∂ℓᵢ is the upstream gradient
    /// element by element, with 'mean' or 'sum' it is the upstream scalar divided by <see cref="LossDivisor"/>.
    /// </summary>
    private static void ScaleByUpstream(Tensor upstream, Reduction reduction, int n, ReadOnlySpan<float> local, float numerator, float denominator, Span<float> g)
    {
        if (reduction == Reduction.None)
        {
            TensorPrimitives.Multiply(local, upstream.Data, g);
            TensorPrimitives.Multiply(g, numerator / denominator, g);
        }
        else
        {
            TensorPrimitives.Multiply(local, numerator * upstream.Data[0] / (denominator * LossDivisor(reduction, n)), g);
        }
    }
}
