using TinyTorch;
using TinyTorch.IO;

namespace PolicyGradient.Update;

/// <summary>
/// What one PPO minibatch update reads, as CleanRL's ppo.py gathers it from the rollout (its <c>b_*</c> tensors):
/// observations s [B, D], the actions a taken, log π_old(a|s) of the policy that acted [B], the advantages Â [B], the
/// returns R = Â + V_old [B] (the critic's regression target) and the critic's values V_old(s) at acting time [B].
/// </summary>
public sealed record PpoBatch(Tensor Observations, int[] Actions, Tensor LogProbs, Tensor Advantages, Tensor Returns, Tensor Values)
{
    /// <summary>The entry names of a batch file, in the order they are described.</summary>
    public static readonly string[] EntryNames = ["obs", "actions", "logprobs", "advantages", "returns", "values"];

    /// <summary>
    /// The batch stored in <paramref name="file"/> with the reference cases' names: <c>obs</c> F32 [B, D], <c>actions</c>
    /// I64 [B], <c>logprobs</c>, <c>advantages</c>, <c>returns</c>, <c>values</c> F32 [B]. Shapes against an agent are
    /// checked by <see cref="Validate"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Naming a missing entry, a wrong dtype or rank, or an action beyond int range.</exception>
    public static PpoBatch FromFile(SafetensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        long[] actions = Entry(file, "actions", DType.I64, rank: 1).ToInt64Array();
        var actionIndices = new int[actions.Length];
        for (int i = 0; i < actions.Length; i++)
            actionIndices[i] = actions[i] is >= 0 and <= int.MaxValue ? (int)actions[i]
                : throw new ArgumentException($"actions[{i}] is {actions[i]}; expected an action index >= 0.");
        return new PpoBatch(
            Entry(file, "obs", DType.F32, rank: 2).ToTensor(),
            actionIndices,
            Entry(file, "logprobs", DType.F32, rank: 1).ToTensor(),
            Entry(file, "advantages", DType.F32, rank: 1).ToTensor(),
            Entry(file, "returns", DType.F32, rank: 1).ToTensor(),
            Entry(file, "values", DType.F32, rank: 1).ToTensor());
    }

    private static SafetensorsEntry Entry(SafetensorsFile file, string name, DType dtype, int rank)
    {
        if (!file.TryGetEntry(name, out SafetensorsEntry? entry))
            throw new ArgumentException($"no entry '{name}' (it has {string.Join(", ", file.Entries.Select(e => e.Name))}); expected {string.Join(", ", EntryNames)}.");
        if (entry.DType != dtype || entry.Shape.Length != rank)
            throw new ArgumentException($"entry {entry}; expected {dtype.ToHeaderName()} {(rank == 1 ? "[B]" : "[B, D]")}.");
        return entry;
    }

    /// <summary>B, the number of rows.</summary>
    public int Size => Actions.Length;

    /// <summary>Checks the shapes against an agent reading <paramref name="observationSize"/> values with <paramref name="actionCount"/> actions.</summary>
    /// <exception cref="ArgumentException">Naming the first entry whose shape or values do not fit.</exception>
    public void Validate(int observationSize, int actionCount)
    {
        int b = Actions.Length;
        if (b == 0)
            throw new ArgumentException("The PPO batch is empty; it needs at least one row.");
        if (Observations.Rank != 2 || Observations.Size(0) != b || Observations.Size(1) != observationSize)
            throw new ArgumentException($"obs has shape {Tensor.FormatShape(Observations.Shape)}; expected [{b}, {observationSize}] ({b} rows as actions has, {observationSize} values as the agent reads).");
        foreach (var (name, tensor) in new[] { ("logprobs", LogProbs), ("advantages", Advantages), ("returns", Returns), ("values", Values) })
            if (tensor.Rank != 1 || tensor.Count != b)
                throw new ArgumentException($"{name} has shape {Tensor.FormatShape(tensor.Shape)}; expected [{b}], one value per row.");
        for (int i = 0; i < b; i++)
            if ((uint)Actions[i] >= (uint)actionCount)
                throw new ArgumentException($"actions[{i}] is {Actions[i]}, but the agent has {actionCount} actions (valid: 0..{actionCount - 1}).");
    }
}
