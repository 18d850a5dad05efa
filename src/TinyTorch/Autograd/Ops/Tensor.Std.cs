using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// s = √(Σᵢ (xᵢ − μ)² / (n − 1)) with μ = (1/n) Σᵢ xᵢ: the unbiased (Bessel-corrected) standard deviation of all n
    /// elements, as a 0-dim tensor (PyTorch's <c>x.std()</c>; NaN when n &lt; 2, as in PyTorch).
    /// Local gradient: ∂s/∂xᵢ = (xᵢ − μ) / ((n − 1)·s) (the terms through μ sum to zero).
    /// </summary>
    public Tensor Std()
    {
        int n = Count;
        float mean = TensorPrimitives.Sum(Data) / n;
        var centered = new float[n];
        TensorPrimitives.Subtract(Data, mean, centered);
        float std = MathF.Sqrt(TensorPrimitives.SumOfSquares(centered) / (n - 1));
        var s = new Tensor([std]);
        return Record(s, "StdBackward", ds =>
        {
            // ∂L/∂xᵢ += ∂L/∂s · (xᵢ − μ) / ((n − 1)·s)
            Span<float> gx = GradBuffer();
            TensorPrimitives.MultiplyAdd(centered, ds.Data[0] / ((n - 1) * std), gx, gx);
        }, this);
    }
}
