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

    /// <summary>The dimensions (PyTorch's <c>shape</c>); empty for a 0-dim tensor.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions (PyTorch's <c>dim()</c>).</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (PyTorch's <c>numel()</c>).</summary>
    public int Count => Data.Length;

    /// <summary>The elements, row-major, writable in place (no copy).</summary>
    public Span<float> AsSpan() => Data;

    /// <summary>Size of dimension <paramref name="dim"/>; negative dims count from the end, as in PyTorch.</summary>
    public int Size(int dim) => _shape[NormalizeDim(dim)];

    /// <summary><paramref name="dim"/> as an index in [0, Rank): a negative dim counts from the end, as in PyTorch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="dim"/> is outside [−Rank, Rank).</exception>
    public int NormalizeDim(int dim)
    {
        int d = dim < 0 ? dim + Rank : dim;
        if (d < 0 || d >= Rank)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension {dim} is out of range for a tensor of shape {FormatShape(_shape)}.");
        return d;
    }

    /// <summary>The element at <paramref name="index"/> (one index per dimension; negative indices count from the end).</summary>
    /// <exception cref="ArgumentException">When the number of indices is not <see cref="Rank"/>.</exception>
    /// <exception cref="IndexOutOfRangeException">When an index is outside its dimension.</exception>
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

    /// <summary>A copy of the elements, row-major (PyTorch's <c>tolist()</c>, flattened).</summary>
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

    /// <summary>A shape as error messages print it: <c>[2, 3]</c>.</summary>
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

    /// <summary>
    /// Prints like PyTorch (default print options): <c>tensor([[ 1.5000, -2.0000], ...], requires_grad=True)</c>.
    /// One number format for the whole tensor, chosen from its non-zero finite values: integers as <c>3.</c>,
    /// otherwise 4 decimals, or scientific notation when the magnitudes span more than 1000× or leave [1e-4, 1e8];
    /// every element padded to the widest. Rows wrap at 80 characters; beyond 1000 elements only the first and
    /// last 3 entries of each dimension are shown.
    /// </summary>
    public override string ToString()
    {
        const string prefix = "tensor(";
        var sb = new StringBuilder(prefix);
        if (Count == 0)
        {
            sb.Append("[]");
            if (Rank != 1)
                sb.Append(", size=(").Append(string.Join(", ", _shape)).Append(')');
        }
        else
        {
            bool summarize = Count > PrintThreshold;
            var shown = new List<float>();
            CollectShown(0, 0, summarize, shown);
            var format = new NumberFormat(shown);
            if (Rank == 0)
                sb.Append(format.Format(Data[0]));
            else
                AppendDim(sb, 0, 0, prefix.Length, summarize, format);
        }
        if (GradFn is not null)
            sb.Append(", grad_fn=<").Append(GradFn.Name).Append('>');
        else if (RequiresGrad)
            sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private const int PrintThreshold = 1000, PrintEdgeItems = 3, PrintLineWidth = 80;

    private int Stride(int dim)
    {
        int stride = 1;
        for (int i = dim + 1; i < Rank; i++) stride *= _shape[i];
        return stride;
    }

    /// <summary>The indices of dimension <paramref name="dim"/> that are printed: all, or the first and last few.</summary>
    private IEnumerable<int> ShownIndices(int dim, bool summarize)
    {
        int n = _shape[dim];
        bool elide = summarize && n > 2 * PrintEdgeItems;
        for (int i = 0; i < n; i++)
        {
            if (elide && i == PrintEdgeItems)
                i = n - PrintEdgeItems;
            yield return i;
        }
    }

    /// <summary>The values that will be printed (PyTorch picks the number format from these only).</summary>
    private void CollectShown(int dim, int offset, bool summarize, List<float> shown)
    {
        if (Rank == 0)
        {
            shown.Add(Data[0]);
            return;
        }
        int stride = Stride(dim);
        foreach (int i in ShownIndices(dim, summarize))
        {
            if (dim == Rank - 1)
                shown.Add(Data[offset + i]);
            else
                CollectShown(dim + 1, offset + i * stride, summarize, shown);
        }
    }

    private void AppendDim(StringBuilder sb, int dim, int offset, int indent, bool summarize, NumberFormat format)
    {
        int n = _shape[dim];
        int stride = Stride(dim);
        bool elide = summarize && n > 2 * PrintEdgeItems;
        sb.Append('[');
        if (dim == Rank - 1)
        {
            // Innermost: as many entries per line as fit in the line width, the rest wrapped under the first.
            var entries = new List<string>();
            foreach (int i in ShownIndices(dim, summarize))
            {
                if (elide && i == n - PrintEdgeItems)
                    entries.Add(" ...");
                entries.Add(format.Format(Data[offset + i]));
            }
            int perLine = Math.Max(1, (PrintLineWidth - indent) / (format.Width + 2));
            for (int j = 0; j < entries.Count; j++)
            {
                if (j > 0)
                    sb.Append(j % perLine == 0 ? ",\n" + new string(' ', indent + 1) : ", ");
                sb.Append(entries[j]);
            }
        }
        else
        {
            // Sub-tensors separated by one line break per remaining dimension, aligned under the first.
            string separator = "," + new string('\n', Rank - dim - 1) + new string(' ', indent + 1);
            bool first = true;
            foreach (int i in ShownIndices(dim, summarize))
            {
                if (!first)
                    sb.Append(separator);
                if (elide && i == n - PrintEdgeItems)
                    sb.Append("...").Append(separator);
                AppendDim(sb, dim + 1, offset + i * stride, indent + 1, summarize, format);
                first = false;
            }
        }
        sb.Append(']');
    }

    /// <summary>PyTorch's number formatter for float tensors (precision 4), chosen once per tensor.</summary>
    private sealed class NumberFormat
    {
        private readonly bool _integers;
        private readonly bool _scientific;

        public NumberFormat(List<float> values)
        {
            double min = double.PositiveInfinity, max = 0;
            bool integers = true, any = false;
            foreach (float v in values)
            {
                if (v == 0f || !float.IsFinite(v))
                    continue;
                any = true;
                double a = Math.Abs((double)v);
                min = Math.Min(min, a);
                max = Math.Max(max, a);
                integers &= v == MathF.Ceiling(v);
            }
            _integers = integers;
            Width = 1;
            if (!any)
                return;
            _scientific = max / min > 1000.0 || max > 1e8 || (!integers && min < 1e-4);
            foreach (float v in values)
                if (v != 0f && float.IsFinite(v))
                    Width = Math.Max(Width, Plain(v).Length);
        }

        /// <summary>The width every element is padded to.</summary>
        public int Width { get; }

        public string Format(float v) => Plain(v).PadLeft(Width);

        private string Plain(float v)
        {
            if (float.IsNaN(v))
                return "nan";
            if (float.IsInfinity(v))
                return v > 0 ? "inf" : "-inf";
            double d = v;  // Python formats the double of the float32 value
            if (_scientific)
                return d.ToString("0.0000e+00", CultureInfo.InvariantCulture);
            if (_integers)
                return d.ToString("F0", CultureInfo.InvariantCulture) + ".";
            return d.ToString("F4", CultureInfo.InvariantCulture);
        }
    }
}
