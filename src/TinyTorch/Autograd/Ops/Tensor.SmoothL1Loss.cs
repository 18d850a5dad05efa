using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch's <c>smooth_l1_loss</c> (the Huber loss of DQN) with mean reduction, this tensor being the input x and
    /// <paramref name="target"/> t (same shape), dᵢ = xᵢ − tᵢ:
    ///   ℓ(d) = 0.5·d²/β if |d| &lt; β, else |d| − 0.5·β;   loss = (1/n) Σᵢ ℓ(dᵢ).
    /// With c = clamp(d, −β, β) both branches are one formula, ℓ(d) = c·(d − c/2)/β, whose derivative is
    ///   ∂ℓ/∂d = c/β  (d/β inside the quadratic zone, ±1 outside),
    /// so ∂loss/∂xᵢ = cᵢ/(β·n) and ∂loss/∂tᵢ = −cᵢ/(β·n) (the target only receives it when it requires grad).
    /// </summary>
    public Tensor SmoothL1Loss(Tensor target, float beta = 1f)
    {
        ShapeCheck.Same("smooth_l1_loss", this, target);
        if (!(beta > 0f))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, $"smooth_l1_loss: beta must be positive, got {beta}.");
        Tensor x = this, t = target;
        int n = Count;
        var d = new float[n];
        TensorPrimitives.Subtract(x.Data, t.Data, d);
        var c = new float[n];
        TensorPrimitives.Clamp(d, -beta, beta, c);
        var dMinusHalfC = new float[n];
        TensorPrimitives.MultiplyAdd(c, -0.5f, d, dMinusHalfC);
        var loss = new Tensor([TensorPrimitives.Dot(c, dMinusHalfC) / (beta * n)]);
        return Record(loss, "SmoothL1LossBackward", dl =>
        {
            float scale = dl.Data[0] / (beta * n);
            if (x.RequiresGrad)
            {
                Span<float> gx = x.GradBuffer();
                TensorPrimitives.MultiplyAdd(c, scale, gx, gx);
            }
            if (t.RequiresGrad)
            {
                Span<float> gt = t.GradBuffer();
                TensorPrimitives.MultiplyAdd(c, -scale, gt, gt);
            }
        }, x, t);
    }
}
