namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// The same elements with another shape; one dimension may be −1 and is then inferred.
    /// The result shares this tensor's data (a view: writing one changes the other), as every tensor here is contiguous.
    /// Local gradient: the identity on the flat elements, so ∂L/∂x is ∂L/∂y read with x's shape.
    /// </summary>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] resolved = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int d = 0; d < resolved.Length; d++)
        {
            if (resolved[d] == -1 && infer < 0)
                infer = d;
            else if (resolved[d] < 0)
                throw ShapeCheck.Mismatch("reshape", _shape, shape, "at most one −1 and no other negative size");
            else
                known *= resolved[d];
        }
        if (infer >= 0)
        {
            if (known == 0 || Count % known != 0)
                throw ShapeCheck.Mismatch("reshape", _shape, shape, $"the −1 cannot be inferred for {Count} elements");
            resolved[infer] = (int)(Count / known);
        }
        else if (known != Count)
        {
            throw ShapeCheck.Mismatch("reshape", _shape, shape, $"the new shape must hold the same {Count} elements");
        }
        return ViewAs(resolved, "ViewBackward");
    }

    /// <summary>PyTorch's <c>view</c>: the same as <see cref="Reshape"/> here, since every tensor is contiguous.</summary>
    public Tensor View(params int[] shape) => Reshape(shape);

    /// <summary>A tensor sharing this one's data under <paramref name="shape"/> (same element count), with the identity gradient.</summary>
    private Tensor ViewAs(int[] shape, string gradName)
    {
        var y = new Tensor(Data, shape);
        return Record(y, gradName, dy => AccumulateGrad(dy.Data), this);
    }
}
