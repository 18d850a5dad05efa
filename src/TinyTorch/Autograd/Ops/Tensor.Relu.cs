namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = max(x, 0).
    /// Local gradient: ∂y/∂x = 1 where x &gt; 0, else 0 (PyTorch's choice at x = 0), so ∂L/∂x = ∂L/∂y · [x &gt; 0].
    /// </summary>
    public Tensor Relu()
    {
        var y = new Tensor(new float[Count], _shape);
        float[] x = Data;
        for (int i = 0; i < x.Length; i++)
            y.Data[i] = x[i] > 0f ? x[i] : 0f;
        return Record(y, "ReluBackward", dy =>
        {
            var dx = new float[x.Length];
            for (int i = 0; i < x.Length; i++)
                dx[i] = x[i] > 0f ? dy.Data[i] : 0f;
            AccumulateGrad(dx);
        }, this);
    }
}
