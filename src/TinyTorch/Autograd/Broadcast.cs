using System.Numerics.Tensors;

namespace TinyTorch;

/// <summary>
/// Broadcasting for the element-wise binary ops, with PyTorch's rules: shapes are aligned at the
/// right, and a dimension of size 1 (or a missing one) is repeated to match the other operand, so
/// <c>[B,N] + [N]</c> adds the row to every row of the batch.
/// Forward repeats values; backward does the opposite: a value used k times receives the sum of its
/// k gradients, so the gradient is summed over every repeated dimension.
/// The innermost dimension is processed a whole row at a time by one TensorPrimitives call; an operand
/// repeated along it enters that call as a scalar.
/// </summary>
internal static class Broadcast
{
    /// <summary>An element-wise op on a row, in the three forms broadcasting needs.</summary>
    internal interface IOp
    {
        static abstract void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z);
        static abstract void Invoke(ReadOnlySpan<float> x, float y, Span<float> z);
        static abstract void Invoke(float x, ReadOnlySpan<float> y, Span<float> z);
    }

    internal readonly struct Add : IOp
    {
        public static void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => TensorPrimitives.Add(x, y, z);
        public static void Invoke(ReadOnlySpan<float> x, float y, Span<float> z) => TensorPrimitives.Add(x, y, z);
        public static void Invoke(float x, ReadOnlySpan<float> y, Span<float> z) => TensorPrimitives.Add(y, x, z);
    }

    internal readonly struct Subtract : IOp
    {
        public static void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => TensorPrimitives.Subtract(x, y, z);
        public static void Invoke(ReadOnlySpan<float> x, float y, Span<float> z) => TensorPrimitives.Subtract(x, y, z);
        public static void Invoke(float x, ReadOnlySpan<float> y, Span<float> z) => TensorPrimitives.Subtract(x, y, z);
    }

    internal readonly struct Multiply : IOp
    {
        public static void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => TensorPrimitives.Multiply(x, y, z);
        public static void Invoke(ReadOnlySpan<float> x, float y, Span<float> z) => TensorPrimitives.Multiply(x, y, z);
        public static void Invoke(float x, ReadOnlySpan<float> y, Span<float> z) => TensorPrimitives.Multiply(y, x, z);
    }

    internal readonly struct Divide : IOp
    {
        public static void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => TensorPrimitives.Divide(x, y, z);
        public static void Invoke(ReadOnlySpan<float> x, float y, Span<float> z) => TensorPrimitives.Divide(x, y, z);
        public static void Invoke(float x, ReadOnlySpan<float> y, Span<float> z) => TensorPrimitives.Divide(x, y, z);
    }

    /// <summary>z = a ⊕ b as a new tensor of the broadcast shape.</summary>
    public static Tensor Forward<TOp>(string op, Tensor a, Tensor b) where TOp : IOp
    {
        int[] shape = Shape(op, a.Shape, b.Shape);
        var z = new Tensor(new float[Torch.Numel(shape)], shape);
        Apply<TOp>(a.Data, a.Shape, b.Data, b.Shape, z.Data, shape);
        return z;
    }

    /// <summary>The shape both operands broadcast to, or an error naming the op and both shapes.</summary>
    public static int[] Shape(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int sa = SizeAligned(a, d, rank), sb = SizeAligned(b, d, rank);
            if (sa != sb && sa != 1 && sb != 1)
                throw ShapeCheck.Mismatch(op, a, b, $"broadcastable shapes: aligned at the right, each dimension equal or 1, but {sa} vs {sb}");
            shape[d] = sa == 1 ? sb : sa;
        }
        return shape;
    }

    /// <summary>z = x ⊕ y with x and y repeated to <paramref name="zShape"/> (which <see cref="Shape"/> returned).</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<int> xShape, ReadOnlySpan<float> y, ReadOnlySpan<int> yShape,
        Span<float> z, ReadOnlySpan<int> zShape) where TOp : IOp
    {
        if (xShape.SequenceEqual(yShape))
        {
            TOp.Invoke(x, y, z);
            return;
        }
        int rank = zShape.Length;
        int n = zShape[rank - 1];
        Span<int> xStrides = stackalloc int[rank], yStrides = stackalloc int[rank], index = stackalloc int[rank];
        Strides(xShape, zShape, xStrides);
        Strides(yShape, zShape, yStrides);
        bool xRow = xStrides[rank - 1] != 0, yRow = yStrides[rank - 1] != 0;
        for (int zo = 0; zo < z.Length; zo += n)
        {
            int xo = Offset(index, xStrides), yo = Offset(index, yStrides);
            Span<float> zRow = z.Slice(zo, n);
            if (xRow && yRow)
                TOp.Invoke(x.Slice(xo, n), y.Slice(yo, n), zRow);
            else if (xRow)
                TOp.Invoke(x.Slice(xo, n), y[yo], zRow);
            else
                TOp.Invoke(x[xo], y.Slice(yo, n), zRow);
            NextRow(index, zShape);
        }
    }

    /// <summary>
    /// target.Grad += scale · g summed over the dimensions along which target was repeated to reach
    /// <paramref name="gShape"/>. No-op when target does not require grad.
    /// </summary>
    public static void AccumulateGrad(Tensor target, ReadOnlySpan<float> g, ReadOnlySpan<int> gShape, float scale)
    {
        if (!target.RequiresGrad)
            return;
        Span<float> grad = target.GradBuffer();
        if (target.Shape.SequenceEqual(gShape))
        {
            TensorPrimitives.MultiplyAdd(g, scale, grad, grad);
            return;
        }
        int rank = gShape.Length;
        int n = gShape[rank - 1];
        Span<int> strides = stackalloc int[rank], index = stackalloc int[rank];
        Strides(target.Shape, gShape, strides);
        bool row = strides[rank - 1] != 0;
        for (int go = 0; go < g.Length; go += n)
        {
            int to = Offset(index, strides);
            ReadOnlySpan<float> gRow = g.Slice(go, n);
            if (row)
            {
                Span<float> tRow = grad.Slice(to, n);
                TensorPrimitives.MultiplyAdd(gRow, scale, tRow, tRow);
            }
            else
            {
                grad[to] += scale * TensorPrimitives.Sum(gRow);
            }
            NextRow(index, gShape);
        }
    }

    /// <summary>target.Grad += g ⊙ factor (factor broadcast to g's shape), summed back to target's shape.</summary>
    public static void AccumulateProduct(Tensor target, Tensor g, Tensor factor)
    {
        if (!target.RequiresGrad)
            return;
        if (target.Shape.SequenceEqual(g.Shape) && factor.Shape.SequenceEqual(g.Shape))
        {
            Span<float> grad = target.GradBuffer();
            TensorPrimitives.MultiplyAdd(g.Data, factor.Data, grad, grad);
            return;
        }
        var product = new float[g.Count];
        Apply<Multiply>(g.Data, g.Shape, factor.Data, factor.Shape, product, g.Shape);
        AccumulateGrad(target, product, g.Shape, 1f);
    }

    private static int SizeAligned(ReadOnlySpan<int> shape, int d, int rank)
    {
        int k = d - (rank - shape.Length);
        return k >= 0 ? shape[k] : 1;
    }

    /// <summary>Element strides of an operand over the dims of <paramref name="outShape"/>; 0 where it is repeated.</summary>
    private static void Strides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape, Span<int> strides)
    {
        int rank = outShape.Length;
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            int size = SizeAligned(shape, d, rank);
            strides[d] = size == outShape[d] ? stride : 0;
            stride *= size;
        }
    }

    private static int Offset(ReadOnlySpan<int> index, ReadOnlySpan<int> strides)
    {
        int offset = 0;
        for (int d = 0; d < index.Length - 1; d++)
            offset += index[d] * strides[d];
        return offset;
    }

    /// <summary>Advances the odometer over all dims but the last (the row being processed).</summary>
    private static void NextRow(Span<int> index, ReadOnlySpan<int> shape)
    {
        for (int d = shape.Length - 2; d >= 0; d--)
        {
            if (++index[d] < shape[d])
                return;
            index[d] = 0;
        }
    }
}
