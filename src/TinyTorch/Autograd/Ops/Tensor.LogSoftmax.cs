using System.Numerics.Tensors;

namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// y = log_softmax(x) along <paramref name="dim"/>: for each line x₁..xₙ along the dim,
    ///   yⱼ = xⱼ − log Σₖ e^xₖ = (xⱼ − m) − log Σₖ e^(xₖ − m)  with m = maxₖ xₖ,
    /// the shifted form, so that no exponential overflows.
    /// Local gradient: ∂yⱼ/∂xₖ = [j = k] − softmaxₖ with softmaxₖ = e^yₖ, so
    ///   ∂L/∂xₖ = ∂L/∂yₖ − e^yₖ · Σⱼ ∂L/∂yⱼ.
    /// </summary>
    public Tensor LogSoftmax(int dim)
    {
        int d = ShapeCheck.Dim("log_softmax", this, dim);
        (int outer, int n, int inner) = DimLayout.Of(_shape, d);
        var y = new Tensor(new float[Count], _shape);
        // A line along the dim is strided when dim is not the last one; it is copied into a contiguous
        // buffer so that every step below is one TensorPrimitives call.
        var line = new float[n];
        var exps = new float[n];
        for (int o = 0; o < outer && n > 0; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * n * inner + i;
                LoadLine(Data, start, inner, line);
                float max = TensorPrimitives.Max(line);
                TensorPrimitives.Subtract(line, max, line);
                TensorPrimitives.Exp(line, exps);
                TensorPrimitives.Subtract(line, MathF.Log(TensorPrimitives.Sum(exps)), line);
                StoreLine(line, y.Data, start, inner);
            }
        }

        float[] yv = y.Data;
        return Record(y, "LogSoftmaxBackward", dy =>
        {
            Span<float> gx = GradBuffer();
            var softmax = new float[n];
            var dx = new float[n];
            for (int o = 0; o < outer && n > 0; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    int start = o * n * inner + i;
                    LoadLine(yv, start, inner, softmax);
                    TensorPrimitives.Exp(softmax, softmax);
                    LoadLine(dy.Data, start, inner, dx);
                    TensorPrimitives.MultiplyAdd(softmax, -TensorPrimitives.Sum(dx), dx, dx);  // ∂L/∂y − softmax·Σ∂L/∂y
                    AddLine(dx, gx, start, inner);
                }
            }
        }, this);
    }

    /// <summary>line[j] = src[start + j·stride].</summary>
    private static void LoadLine(ReadOnlySpan<float> src, int start, int stride, Span<float> line)
    {
        if (stride == 1)
        {
            src.Slice(start, line.Length).CopyTo(line);
            return;
        }
        for (int j = 0; j < line.Length; j++)
            line[j] = src[start + j * stride];
    }

    /// <summary>dst[start + j·stride] = line[j].</summary>
    private static void StoreLine(ReadOnlySpan<float> line, Span<float> dst, int start, int stride)
    {
        if (stride == 1)
        {
            line.CopyTo(dst.Slice(start, line.Length));
            return;
        }
        for (int j = 0; j < line.Length; j++)
            dst[start + j * stride] = line[j];
    }

    /// <summary>dst[start + j·stride] += line[j].</summary>
    private static void AddLine(ReadOnlySpan<float> line, Span<float> dst, int start, int stride)
    {
        if (stride == 1)
        {
            Span<float> slice = dst.Slice(start, line.Length);
            TensorPrimitives.Add(slice, line, slice);
            return;
        }
        for (int j = 0; j < line.Length; j++)
            dst[start + j * stride] += line[j];
    }
}
