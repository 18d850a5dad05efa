namespace TinyTorch.IO;

/// <summary>
/// A safetensors file (or an entry of it) is malformed, or does not hold what the caller asked for.
/// The message names the file and the entry.
/// </summary>
public sealed class SafetensorsException(string message) : IOException(message);
