using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch's <c>mse_loss</c> with mean reduction, this tensor being the input x and <paramref name="target"/> t (same shape):
    ///   loss = (1/n) Σᵢ (xᵢ − tᵢ)².
    /// Local gradients: ∂loss/∂xᵢ = 2(xᵢ − tᵢ)/n and ∂loss/∂tᵢ = −2(xᵢ − tᵢ)/n (the target only receives it when it requires grad).
    /// </summary>
    public Tensor MseLoss(Tensor target)
    {
        ShapeCheck.Same("mse_loss", this, target);
        Tensor x = this, t = target;
        int n = Count;
        var diff = new float[n];
        TensorPrimitives.Subtract(x.Data, t.Data, diff);
        var loss = new Tensor([TensorPrimitives.SumOfSquares(diff) / n]);
        return Record(loss, "MseLossBackward", dl =>
        {
            float scale = 2f * dl.Data[0] / n;
            if (x.RequiresGrad)
            {
                Span<float> gx = x.GradBuffer();
                TensorPrimitives.MultiplyAdd(diff, scale, gx, gx);
            }
            if (t.RequiresGrad)
            {
                Span<float> gt = t.GradBuffer();
                TensorPrimitives.MultiplyAdd(diff, -scale, gt, gt);
            }
        }, x, t);
    }
}
