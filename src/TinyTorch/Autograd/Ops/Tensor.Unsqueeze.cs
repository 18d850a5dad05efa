namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// Inserts a dimension of size 1 at <paramref name="dim"/> ([B] → [B,1] for dim 1 or −1); dim ranges over
    /// −(rank+1)..rank as in PyTorch. A view sharing this tensor's data; the gradient is the identity on the flat elements.
    /// </summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = ShapeCheck.Dim("unsqueeze", _shape, dim, Rank + 1);
        var shape = new int[Rank + 1];
        for (int s = 0, r = 0; s < shape.Length; s++)
            shape[s] = s == d ? 1 : _shape[r++];
        return ViewAs(shape, "UnsqueezeBackward");
    }
}
