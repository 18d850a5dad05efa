namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// The maximum along <paramref name="dim"/> and where it is (PyTorch's <c>values, indices = x.max(dim)</c>):
    /// v[o,i] = x[o,k,i] with k = argmaxⱼ x[o,j,i]. On ties the first index wins and a NaN beats every number,
    /// as in PyTorch on CPU (<see cref="Kernels.ArgMax"/>, the rule the greedy action uses too). Indices are laid out like the values, row-major.
    /// Local gradient: ∂v[o,i]/∂x[o,j,i] = 1 if j = k else 0, so ∂L/∂v flows only to the argmax position.
    /// </summary>
    public (Tensor Values, int[] Indices) Max(int dim, bool keepdim = false)
    {
        int d = ShapeCheck.Dim("max", this, dim);
        DimLayout layout = DimLayout.Of(_shape, d);
        (int outer, int n, int inner) = layout;
        if (n == 0)
            throw new ArgumentException($"max: cannot reduce dimension {dim} of size 0 in a tensor of shape {FormatShape(_shape)}.");

        var values = new Tensor(new float[outer * inner], DimLayout.ReducedShape(_shape, d, keepdim));
        var indices = new int[outer * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * n * inner + i;
                int arg = Kernels.ArgMax.Of(Data, start, n, inner);
                values.Data[o * inner + i] = Data[start + arg * inner];
                indices[o * inner + i] = arg;
            }
        }

        Record(values, "MaxBackward", dv =>
        {
            // ∂L/∂x[o,k,i] += ∂L/∂v[o,i] at the argmax k only.
            Span<float> gx = GradBuffer();
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    gx[(o * n + indices[o * inner + i]) * inner + i] += dv.Data[o * inner + i];
        }, this);
        // The caller gets its own copy: changing it must not redirect the gradient.
        return (values, (int[])indices.Clone());
    }
}
