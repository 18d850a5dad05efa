namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// Removes <paramref name="dim"/> when its size is 1 ([B,1] → [B]); otherwise returns the same shape, as PyTorch does.
    /// A view sharing this tensor's data; the gradient is the identity on the flat elements.
    /// </summary>
    public Tensor Squeeze(int dim)
    {
        int d = ShapeCheck.Dim("squeeze", this, dim);
        int[] shape = _shape[d] == 1 ? DimLayout.ReducedShape(_shape, d, keepdim: false) : (int[])_shape.Clone();
        return ViewAs(shape, "SqueezeBackward");
    }
}
