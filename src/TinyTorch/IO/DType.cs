namespace TinyTorch.IO;

/// <summary>
/// The element types a safetensors file can hold, in the order the reference implementation declares them.
/// The order is part of the format's behaviour: its writer lays tensors out by this order, descending
/// (U64, I64, F64, F32, ...), then by name, so <see cref="SafetensorsFile"/> uses it to write the same bytes.
/// Names in the file are upper case (<c>"F32"</c>, <c>"BOOL"</c>, <c>"F8_E5M2"</c>); see <see cref="DTypes"/>.
/// </summary>
public enum DType
{
    Bool,
    U8,
    I8,
    F8E5M2,
    F8E4M3,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    F64,
    I64,
    U64,
}
