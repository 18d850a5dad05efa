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
        new($"{op}: shapes {Tensor.FormatShape(a.Shape)} and {Tensor.FormatShape(b.Shape)} do not fit ({expected}).");
}
