namespace TinyTorch.IO;

/// <summary>
/// The element types a safetensors file can hold, in the order the reference implementation declares them.
/// The order is part of the format's behaviour: its writer lays tensors out by this order, descending
/// (U64, I64, F64, F32, ...), then by name, so <see cref="SafetensorsFile"/> uses it to write the same bytes.
/// Names in the file are upper case (<c>"F32"</c>, <c>"BOOL"</c>, <c>"F8_E5M2"</c>); see <see cref="DTypes"/>.
/// </summary>
public enum DType
{
    /// <summary>Boolean, one byte per element (<c>"BOOL"</c>).</summary>
    Bool,
    /// <summary>Unsigned 8-bit integer.</summary>
    U8,
    /// <summary>Signed 8-bit integer.</summary>
    I8,
    /// <summary>8-bit float with 5 exponent and 2 mantissa bits (<c>"F8_E5M2"</c>).</summary>
    F8E5M2,
    /// <summary>8-bit float with 4 exponent and 3 mantissa bits (<c>"F8_E4M3"</c>).</summary>
    F8E4M3,
    /// <summary>Signed 16-bit integer.</summary>
    I16,
    /// <summary>Unsigned 16-bit integer.</summary>
    U16,
    /// <summary>IEEE 754 half precision.</summary>
    F16,
    /// <summary>bfloat16: float32's exponent, 7 mantissa bits.</summary>
    BF16,
    /// <summary>Signed 32-bit integer.</summary>
    I32,
    /// <summary>Unsigned 32-bit integer.</summary>
    U32,
    /// <summary>IEEE 754 single precision: what a <see cref="Tensor"/> holds.</summary>
    F32,
    /// <summary>IEEE 754 double precision.</summary>
    F64,
    /// <summary>Signed 64-bit integer (PyTorch's <c>torch.long</c>).</summary>
    I64,
    /// <summary>Unsigned 64-bit integer.</summary>
    U64,
}
