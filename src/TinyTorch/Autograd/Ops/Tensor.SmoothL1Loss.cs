using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch's <c>smooth_l1_loss</c> (the Huber loss of DQN), this tensor being the input x and
    /// <paramref name="target"/> t (same shape), dᵢ = xᵢ − tᵢ:
    ///   ℓ(d) = 0.5·d²/β if |d| &lt; β, else |d| − 0.5·β,
    /// reduced by <paramref name="reduction"/>: (1/n) Σᵢ ℓ(dᵢ) (mean, the default), Σᵢ ℓ(dᵢ) (sum) or the ℓ(dᵢ)
    /// themselves, shaped like x (none).
    /// With c = clamp(d, −β, β) both branches are one formula, ℓ(d) = c·(d − c/2)/β, whose derivative is
    ///   ∂ℓ/∂d = c/β  (d/β inside the quadratic zone, ±1 outside),
    /// so ∂ℓᵢ/∂xᵢ = cᵢ/β and ∂ℓᵢ/∂tᵢ = −cᵢ/β, times 1/n for the mean (the target only receives it when it requires grad).
    /// </summary>
    public Tensor SmoothL1Loss(Tensor target, float beta = 1f, Reduction reduction = Reduction.Mean)
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
        Tensor loss;
        if (reduction == Reduction.None)
        {
            // ℓᵢ = cᵢ·(dᵢ − cᵢ/2)/β
            loss = new Tensor(new float[n], _shape);
            TensorPrimitives.Multiply(c, dMinusHalfC, loss.Data);
            TensorPrimitives.Divide(loss.Data, beta, loss.Data);
        }
        else
        {
            loss = new Tensor([TensorPrimitives.Dot(c, dMinusHalfC) / (beta * LossDivisor(reduction, n))]);
        }
        return Record(loss, "SmoothL1LossBackward", dl =>
        {
            // ∂L/∂xᵢ = ∂L/∂ℓᵢ · cᵢ/β
            var g = new float[n];
            ScaleByUpstream(dl, reduction, n, c, 1f, beta, g);
            if (x.RequiresGrad)
                x.AccumulateGrad(g);
            if (t.RequiresGrad)
            {
                TensorPrimitives.Negate(g, g);
                t.AccumulateGrad(g);
            }
        }, x, t);
    }
}
