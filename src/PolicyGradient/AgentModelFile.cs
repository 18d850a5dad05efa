using TinyTorch.IO;
using Training.Config;

namespace PolicyGradient;

/// <summary>
/// model.safetensors of a PPO or REINFORCE run: CleanRL's Agent state dict (<c>actor.0.weight</c>, …,
/// <c>critic.4.bias</c>, all F32), so that <c>agent.load_state_dict(load_file(path))</c> works on CleanRL's
/// <c>Agent</c> class unchanged, and metadata naming the format, the algorithm (ppo or reinforce), the sizes and the run.
/// A file without metadata whose keys are all under <c>actor.</c> and <c>critic.</c> (as PyTorch's
/// <c>save_file(agent.state_dict(), path)</c> writes it) is one too.
/// </summary>
public static class AgentModelFile
{
    /// <summary>The metadata "format" of every ScratchRl model file.</summary>
    public const string Format = "scratchrl-model";

    /// <summary>True when <paramref name="file"/> holds an Agent: its metadata says ppo or reinforce, or every key is under actor. or critic..</summary>
    public static bool Holds(SafetensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Metadata is { } metadata && metadata.TryGetValue("algorithm", out string? algorithm))
            return algorithm == AlgorithmNames.Key(Algorithm.Ppo) || algorithm == AlgorithmNames.Key(Algorithm.Reinforce);
        return file.Entries.Count > 0 && file.Entries.All(e => e.Name.StartsWith("actor.", StringComparison.Ordinal) || e.Name.StartsWith("critic.", StringComparison.Ordinal));
    }

    /// <summary>The agent in <paramref name="file"/> (read from <paramref name="path"/>); throws <see cref="InvalidDataException"/> naming the file and the problem.</summary>
    public static Agent Load(SafetensorsFile file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            return Agent.FromStateDict(file.ToStateDict());
        }
        catch (Exception e) when (e is ArgumentException or SafetensorsException)
        {
            throw new InvalidDataException($"'{path}' does not hold a PPO/REINFORCE agent: {e.Message}", e);
        }
    }
}
