namespace TinyTorch;

/// <summary>Shape errors that name the op and both shapes.</summary>
internal static class ShapeCheck
{
    public static void Same(string op, Tensor a, Tensor b)
    {
        if (!a.Shape.SequenceEqual(b.Shape))
            throw Mismatch(op, a, b, "equal shapes");
    }

    public static ArgumentException Mismatch(string op, Tensor a, Tensor b, string expected) =>
        Mismatch(op, a.Shape, b.Shape, expected);

    public static ArgumentException Mismatch(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b, string expected) =>
        new($"{op}: shapes {Tensor.FormatShape(a)} and {Tensor.FormatShape(b)} do not fit ({expected}).");

    /// <summary>The non-negative form of <paramref name="dim"/> for <paramref name="x"/>, or an error naming the op and the valid range.</summary>
    public static int Dim(string op, Tensor x, int dim) => Dim(op, x.Shape, dim, x.Rank);

    /// <summary>As <see cref="Dim(string, Tensor, int)"/> for ops like unsqueeze whose dim ranges over <paramref name="rank"/> slots.</summary>
    public static int Dim(string op, ReadOnlySpan<int> shape, int dim, int rank)
    {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
        {
            string valid = rank == 0 ? "none: the tensor has no dimensions" : $"{-rank}..{rank - 1}";
            throw new ArgumentOutOfRangeException(nameof(dim), dim,
                $"{op}: dimension {dim} is out of range for a tensor of shape {Tensor.FormatShape(shape)} (valid: {valid}).");
        }
        return d;
    }
}
