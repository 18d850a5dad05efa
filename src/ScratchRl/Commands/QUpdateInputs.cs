using Dqn.Update;
using ScratchRl.Cli;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;

namespace ScratchRl.Commands;

/// <summary>
/// Reads the networks and the batch of <c>scratchrl q-update</c>. A file that cannot be read or is not valid
/// safetensors fails with its reader's error (exit 1); a valid file whose content does not fit (not an MLP, a missing
/// batch entry, a wrong dtype or shape, an action out of range) is a usage error naming the file and the entry (exit 2).
/// </summary>
internal static class QUpdateInputs
{
    /// <summary>The MLP whose state dict <paramref name="path"/> holds.</summary>
    public static Sequential LoadNetwork(string path, string flag)
    {
        SafetensorsFile file = SafetensorsFile.Read(path);
        var stateDict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (SafetensorsEntry entry in file.Entries)
        {
            if (entry.DType != DType.F32)
                throw new UsageException($"{flag} {path}: entry {entry} is not F32; network weights must be float32.");
            stateDict[entry.Name] = entry.ToTensor();
        }
        try
        {
            return Sequential.MlpFromStateDict(stateDict);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{flag} {path}: {MessageOf(e)}");
        }
    }

    /// <summary>The layer sizes, input first: 4-64-64-2.</summary>
    public static string Describe(Sequential network) => string.Join("-", Sequential.InferMlpSizes(network.StateDict()));

    /// <summary>The batch in <paramref name="path"/>, checked against a network with these input and output sizes.</summary>
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
            Entry(file, path, "dones", DType.F32, rank: 1).ToTensor());
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

    private static SafetensorsEntry Entry(SafetensorsFile file, string path, string name, DType dtype, int rank)
    {
        if (!file.TryGetEntry(name, out SafetensorsEntry? entry))
            throw new UsageException($"--batch {path}: no entry '{name}' (it has {string.Join(", ", file.Entries.Select(e => e.Name))}); expected obs, actions, rewards, next_obs, dones.");
        string expected = $"{dtype.ToHeaderName()} {(rank == 1 ? "[B]" : "[B, D]")}";
        if (entry.DType != dtype || entry.Shape.Length != rank)
            throw new UsageException($"--batch {path}: entry {entry}; expected {expected}.");
        return entry;
    }

    /// <summary>The message of an argument error without the " (Parameter 'x')" .NET appends.</summary>
    private static string MessageOf(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
}
