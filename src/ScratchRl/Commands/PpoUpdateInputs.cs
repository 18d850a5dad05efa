using PolicyGradient;
using PolicyGradient.Update;
using ScratchRl.Cli;
using TinyTorch;
using TinyTorch.IO;

namespace ScratchRl.Commands;

/// <summary>
/// Reads the agent and the batch of <c>scratchrl ppo-update</c>. A file that cannot be read or is not valid safetensors
/// fails with its reader's error (exit 1); a valid file whose content does not fit (not a CleanRL Agent, a missing batch
/// entry, a wrong dtype or shape, an action out of range) is a usage error naming the file and the entry (exit 2).
/// </summary>
internal static class PpoUpdateInputs
{
    /// <summary>The agent whose CleanRL state dict <paramref name="path"/> holds.</summary>
    public static Agent LoadAgent(string path)
    {
        SafetensorsFile file = SafetensorsFile.Read(path);
        var stateDict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (SafetensorsEntry entry in file.Entries)
        {
            if (entry.DType != DType.F32)
                throw new UsageException($"--weights {path}: entry {entry} is not F32; agent weights must be float32.");
            stateDict[entry.Name] = entry.ToTensor();
        }
        return Fit(() => Agent.FromStateDict(stateDict), $"--weights {path}");
    }

    /// <summary>The minibatch in <paramref name="path"/>, checked against <paramref name="agent"/>'s observation size and actions.</summary>
    public static PpoBatch LoadBatch(string path, Agent agent)
    {
        SafetensorsFile file = SafetensorsFile.Read(path);
        return Fit(() =>
        {
            PpoBatch batch = PpoBatch.FromFile(file);
            batch.Validate(agent.ObservationSize, agent.ActionCount);
            return batch;
        }, $"--batch {path}");
    }

    private static T Fit<T>(Func<T> read, string what)
    {
        try
        {
            return read();
        }
        catch (ArgumentException e)
        {
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new UsageException($"{what}: {message}");
        }
    }
}
