namespace TinyTorch.IO;

/// <summary>
/// One-line state-dict checkpoints, as <c>safetensors.torch.save_file(model.state_dict(), path)</c> and
/// <c>load_file(path)</c> do in Python. For mixed content (a replay batch with F32 tensors and I64 actions) build a
/// <see cref="SafetensorsFile"/> from <see cref="SafetensorsEntry"/> values.
/// </summary>
public static class Safetensors
{
    /// <summary>Writes every tensor as F32 (atomically), plus optional metadata.</summary>
    public static void SaveStateDict(
        string path, IEnumerable<KeyValuePair<string, Tensor>> stateDict, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        SafetensorsFile.FromStateDict(stateDict, metadata).Write(path);

    /// <summary>
    /// Reads every entry as a tensor (all must be F32), in the file's layout order: for an all-F32 file that is the
    /// order of the names' UTF-8 bytes ("0.bias", "0.weight", "10.bias", "2.bias", ...), not the module's order.
    /// Match entries to parameters by name.
    /// </summary>
    public static OrderedDictionary<string, Tensor> LoadStateDict(string path) => SafetensorsFile.Read(path).ToStateDict();
}
