using Dqn.Update;
using ScratchRl.Cli;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace ScratchRl.Commands;

/// <summary>
/// Reads the networks, the batch and the optimizer state of <c>scratchrl q-update</c>. A file that cannot be read or is
/// not valid safetensors fails with its reader's error (exit 1); a valid file whose content does not fit (not an MLP,
/// a missing batch entry, a wrong dtype or shape, an action out of range) is a usage error naming the file and the
/// entry (exit 2).
/// </summary>
internal static class QUpdateInputs
{
    /// <summary>
    /// The MLP whose state dict <paramref name="path"/> holds, and what its metadata says about a dueling head
    /// (<c>"dueling": "true"</c> or <c>"false"</c>, as model files written by <c>scratchrl train</c> say; null when it says nothing).
    /// </summary>
    public static (Sequential Network, bool? Dueling) LoadNetwork(string path, string flag)
    {
        SafetensorsFile file = SafetensorsFile.Read(path);
        var stateDict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (SafetensorsEntry entry in file.Entries)
        {
            if (entry.DType != DType.F32)
                throw new UsageException($"{flag} {path}: entry {entry} is not F32; network weights must be float32.");
            stateDict[entry.Name] = entry.ToTensor();
        }
        bool? dueling = file.Metadata is { } metadata && metadata.TryGetValue("dueling", out string? value)
            ? value switch
            {
                "true" => true,
                "false" => false,
                _ => throw new UsageException($"{flag} {path}: metadata \"dueling\" is \"{value}\"; expected \"true\" or \"false\"."),
            }
            : null;
        try
        {
            return (Sequential.MlpFromStateDict(stateDict), dueling);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{flag} {path}: {MessageOf(e)}");
        }
    }

    /// <summary>The layer sizes, input first: 4-64-64-2.</summary>
    public static string Describe(Sequential network) => string.Join("-", Sequential.InferMlpSizes(network.StateDict()));

    /// <summary>
    /// The batch in <paramref name="path"/>, checked against a network with these input sizes and actions:
    /// obs, actions, rewards, next_obs, dones, and the optional discounts and weights.
    /// </summary>
    public static QBatch LoadBatch(string path, int observationSize, int actionCount)
    {
        SafetensorsFile file = SafetensorsFile.Read(path);
        long[] actions = Entry(file, path, "actions", DType.I64, rank: 1).ToInt64Array();
        int b = actions.Length;
        var actionIndices = new int[b];
        for (int i = 0; i < b; i++)
        {
            if (actions[i] < 0 || actions[i] >= actionCount)
                throw new UsageException($"--batch {path}: actions[{i}] is {actions[i]}, but the network has {actionCount} actions (valid: 0..{actionCount - 1}).");
            actionIndices[i] = (int)actions[i];
        }
        var batch = new QBatch(
            Entry(file, path, "obs", DType.F32, rank: 2).ToTensor(),
            actionIndices,
            Entry(file, path, "rewards", DType.F32, rank: 1).ToTensor(),
            Entry(file, path, "next_obs", DType.F32, rank: 2).ToTensor(),
            Entry(file, path, "dones", DType.F32, rank: 1).ToTensor(),
            OptionalEntry(file, path, "discounts")?.ToTensor(),
            OptionalEntry(file, path, "weights")?.ToTensor());
        try
        {
            batch.Validate(observationSize, actionCount);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--batch {path}: {MessageOf(e)}");
        }
        return batch;
    }

    /// <summary>Starts <paramref name="optimizer"/> from the Adam state in <paramref name="path"/> (<see cref="AdamStateFile"/>).</summary>
    public static void LoadOptimizerState(string path, Optimizer optimizer, Sequential network)
    {
        try
        {
            AdamStateFile.Load(path, optimizer, network);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"--optimizer-state {path}: {e.Message}");
        }
    }

    private static SafetensorsEntry Entry(SafetensorsFile file, string path, string name, DType dtype, int rank)
    {
        if (!file.TryGetEntry(name, out SafetensorsEntry? entry))
            throw new UsageException($"--batch {path}: no entry '{name}' (it has {string.Join(", ", file.Entries.Select(e => e.Name))}); expected obs, actions, rewards, next_obs, dones (and optionally discounts, weights).");
        string expected = $"{dtype.ToHeaderName()} {(rank == 1 ? "[B]" : "[B, D]")}";
        if (entry.DType != dtype || entry.Shape.Length != rank)
            throw new UsageException($"--batch {path}: entry {entry}; expected {expected}.");
        return entry;
    }

    /// <summary>An optional F32 [B] entry (discounts, weights), or null when the batch does not have it.</summary>
    private static SafetensorsEntry? OptionalEntry(SafetensorsFile file, string path, string name) =>
        file.Contains(name) ? Entry(file, path, name, DType.F32, rank: 1) : null;

    /// <summary>The message of an argument error without the " (Parameter 'x')" .NET appends.</summary>
    private static string MessageOf(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
}
