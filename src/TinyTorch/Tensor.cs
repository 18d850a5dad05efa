using System.Globalization;
using System.Text;

namespace TinyTorch;

/// <summary>
/// A float32 tensor: a contiguous row-major buffer plus a shape, and, when it takes part in
/// autograd, the node of the graph that produced it (its parents and its backward function).
/// Ops live in partial files under <c>Autograd/</c>, each with its forward and its local gradient side by side.
/// </summary>
public sealed partial class Tensor
{
    private readonly int[] _shape;

    /// <summary>Wraps <paramref name="data"/> (not copied) with the given shape.</summary>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Shape {FormatShape(shape)} has a negative dimension.", nameof(shape));
            count *= d;
        }
        if (count != data.Length)
            throw new ArgumentException($"Shape {FormatShape(shape)} holds {count} elements but the data has {data.Length}.", nameof(data));
        Data = data;
        _shape = (int[])shape.Clone();
    }

    /// <summary>The elements in row-major order. Writing to it changes the tensor in place.</summary>
    public float[] Data { get; }

    public ReadOnlySpan<int> Shape => _shape;

    public int Rank => _shape.Length;

    /// <summary>The number of elements (PyTorch's <c>numel()</c>).</summary>
    public int Count => Data.Length;

    public Span<float> AsSpan() => Data;

    /// <summary>Size of dimension <paramref name="dim"/>; negative dims count from the end, as in PyTorch.</summary>
    public int Size(int dim) => _shape[NormalizeDim(dim)];

    public int NormalizeDim(int dim)
    {
        int d = dim < 0 ? dim + Rank : dim;
        if (d < 0 || d >= Rank)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension {dim} is out of range for a tensor of shape {FormatShape(_shape)}.");
        return d;
    }

    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    /// <summary>The value of a one-element tensor (PyTorch's <c>item()</c>).</summary>
    public float Item()
    {
        if (Count != 1)
            throw new InvalidOperationException($"Item() needs a tensor with one element, got shape {FormatShape(_shape)}.");
        return Data[0];
    }

    public float[] ToArray() => (float[])Data.Clone();

    /// <summary>A copy that owns its data and is not part of any graph.</summary>
    public Tensor Clone() => new(ToArray(), _shape);

    /// <summary>Copies <paramref name="source"/>'s values into this tensor in place (shapes must match).</summary>
    public void CopyFrom(Tensor source)
    {
        ShapeCheck.Same("copy", this, source);
        source.Data.CopyTo(Data, 0);
    }

    private int Offset(int[] index)
    {
        if (index.Length != Rank)
            throw new ArgumentException($"Index of rank {index.Length} used on a tensor of shape {FormatShape(_shape)}.");
        int offset = 0;
        for (int i = 0; i < index.Length; i++)
        {
            int k = index[i] < 0 ? index[i] + _shape[i] : index[i];
            if (k < 0 || k >= _shape[i])
                throw new IndexOutOfRangeException($"Index {index[i]} is out of range for dimension {i} of size {_shape[i]}.");
            offset = offset * _shape[i] + k;
        }
        return offset;
    }

    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }

    /// <summary>Prints like PyTorch: <c>tensor([[1.0000, 2.0000], ...], requires_grad=True)</c>, eliding the middle of long dims.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("tensor(");
        if (Rank == 0)
            sb.Append(FormatValue(Data[0]));
        else
            AppendDim(sb, 0, 0, 7);
        if (GradFn is not null)
            sb.Append(", grad_fn=<").Append(GradFn.Name).Append('>');
        else if (RequiresGrad)
            sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private void AppendDim(StringBuilder sb, int dim, int offset, int indent)
    {
        int n = _shape[dim];
        int stride = 1;
        for (int i = dim + 1; i < Rank; i++) stride *= _shape[i];
        const int edge = 3;
        bool elide = n > 2 * edge;
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (elide && i == edge)
            {
                sb.Append(dim == Rank - 1 ? "..., " : "...,\n" + new string(' ', indent + dim + 1));
                i = n - edge - 1;
                continue;
            }
            if (dim == Rank - 1)
                sb.Append(FormatValue(Data[offset + i]));
            else
                AppendDim(sb, dim + 1, offset + i * stride, indent);
            if (i < n - 1)
                sb.Append(dim == Rank - 1 ? ", " : ",\n" + new string(' ', indent + dim + 1));
        }
        sb.Append(']');
    }

    private static string FormatValue(float v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
