using System.Globalization;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace Dqn.Update;

/// <summary>
/// Adam's state mid-run in the format of tests/data/reference/README.md ("Optimizer state"), which
/// <c>scratchrl train --dump-update</c> writes and <c>scratchrl q-update --optimizer-state</c> reads: a safetensors file
/// with, for each parameter key k of the network (<c>0.weight</c>, <c>0.bias</c>, …), <c>k.exp_avg</c> (m) and
/// <c>k.exp_avg_sq</c> (v), F32 in the parameter's shape, and <c>step</c>, I64 [1], the number of steps already taken
/// (PyTorch's <c>state['step']</c> before the update). Resumed from it, the next step uses the bias corrections
/// 1 − β₁^(step+1) and 1 − β₂^(step+1), exactly where the run stopped. PyTorch loads it with
/// <c>optimizer.state[p] = {"step": torch.tensor(float(step)), "exp_avg": f[k + ".exp_avg"], ...}</c>.
/// </summary>
public static class AdamStateFile
{
    /// <summary>The entry holding the step count.</summary>
    public const string StepKey = "step";

    /// <summary>m's entry for parameter <paramref name="key"/>: <c>0.weight.exp_avg</c>.</summary>
    public static string ExpAvgKey(string key) => key + ".exp_avg";

    /// <summary>v's entry for parameter <paramref name="key"/>: <c>0.weight.exp_avg_sq</c>.</summary>
    public static string ExpAvgSqKey(string key) => key + ".exp_avg_sq";

    /// <summary>
    /// Writes <paramref name="optimizer"/>'s state for the parameters of <paramref name="network"/> (atomically).
    /// A parameter Adam has not stepped yet is written with m = v = 0, what its first step starts from.
    /// </summary>
    /// <exception cref="ArgumentException">The optimizer is not a plain Adam over exactly the network's parameters.</exception>
    public static void Save(string path, Optimizer optimizer, Module network)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (adam, keys) = Match(optimizer, network);
        OptimizerState state = adam.StateDict();
        var entries = new List<SafetensorsEntry>();
        for (int i = 0; i < keys.Length; i++)
        {
            Tensor parameter = adam.Parameters[i];
            entries.Add(Moment(ExpAvgKey(keys[i]), state, $"{Index(i)}.exp_avg", parameter));
            entries.Add(Moment(ExpAvgSqKey(keys[i]), state, $"{Index(i)}.exp_avg_sq", parameter));
        }
        entries.Add(SafetensorsEntry.FromArray<long>(StepKey, [state.Step], [1]));
        new SafetensorsFile(entries).Write(path);
    }

    /// <summary>
    /// Reads the state in <paramref name="path"/> into <paramref name="optimizer"/>, an Adam over the parameters of
    /// <paramref name="network"/>. Everything is checked before anything changes.
    /// </summary>
    /// <exception cref="InvalidDataException">An entry is missing, unexpected, or of the wrong dtype or shape; the message names it.</exception>
    /// <exception cref="ArgumentException">The optimizer is not a plain Adam over exactly the network's parameters.</exception>
    public static void Load(string path, Optimizer optimizer, Module network)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (adam, keys) = Match(optimizer, network);
        SafetensorsFile file = SafetensorsFile.Read(path);
        var expected = new HashSet<string>(StringComparer.Ordinal) { StepKey };
        foreach (string key in keys)
        {
            expected.Add(ExpAvgKey(key));
            expected.Add(ExpAvgSqKey(key));
        }
        foreach (SafetensorsEntry entry in file.Entries)
            if (!expected.Contains(entry.Name))
                throw new InvalidDataException($"unexpected entry '{entry.Name}'; expected '{StepKey}' and, for each parameter k of the network ({string.Join(", ", keys)}), 'k.exp_avg' and 'k.exp_avg_sq'.");

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < keys.Length; i++)
        {
            Tensor parameter = adam.Parameters[i];
            tensors[$"{Index(i)}.exp_avg"] = ReadMoment(file, ExpAvgKey(keys[i]), keys[i], parameter);
            tensors[$"{Index(i)}.exp_avg_sq"] = ReadMoment(file, ExpAvgSqKey(keys[i]), keys[i], parameter);
        }
        adam.LoadStateDict(new OptimizerState(ReadStep(file), tensors));
    }

    /// <summary>The Adam and, for each of its parameters in order, the network's key for it.</summary>
    private static (Adam Adam, string[] Keys) Match(Optimizer optimizer, Module network)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(network);
        if (optimizer is not Adam adam || adam.Amsgrad)
            throw new ArgumentException($"the optimizer state file holds plain Adam's moments; the optimizer is {(optimizer is Adam ? "Adam with AMSGrad" : optimizer.GetType().Name)}.", nameof(optimizer));
        var names = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, parameter) in network.NamedParameters())
            names[parameter] = name;
        if (names.Count != adam.Parameters.Count)
            throw new ArgumentException($"the optimizer holds {adam.Parameters.Count} parameters but the network has {names.Count}; they must be the same.", nameof(optimizer));
        var keys = new string[adam.Parameters.Count];
        for (int i = 0; i < keys.Length; i++)
            keys[i] = names.TryGetValue(adam.Parameters[i], out string? key)
                ? key
                : throw new ArgumentException($"the optimizer's parameter {i} is not a parameter of the network.", nameof(optimizer));
        return (adam, keys);
    }

    private static SafetensorsEntry Moment(string name, OptimizerState state, string stateKey, Tensor parameter) =>
        state.Tensors.TryGetValue(stateKey, out Tensor? value)
            ? SafetensorsEntry.FromArray<float>(name, value.Data, parameter.Shape)
            : SafetensorsEntry.FromArray<float>(name, new float[parameter.Count], parameter.Shape);

    private static Tensor ReadMoment(SafetensorsFile file, string name, string parameterKey, Tensor parameter)
    {
        if (!file.TryGetEntry(name, out SafetensorsEntry? entry))
            throw new InvalidDataException($"no entry '{name}' (F32 {Tensor.FormatShape(parameter.Shape)}, Adam's {(name.EndsWith("_sq", StringComparison.Ordinal) ? "second" : "first")} moment of {parameterKey}).");
        if (entry.DType != DType.F32 || !entry.Shape.SequenceEqual(parameter.Shape))
            throw new InvalidDataException($"entry {entry}; expected F32 {Tensor.FormatShape(parameter.Shape)}, the shape of {parameterKey}.");
        return entry.ToTensor();
    }

    private static long ReadStep(SafetensorsFile file)
    {
        if (!file.TryGetEntry(StepKey, out SafetensorsEntry? entry))
            throw new InvalidDataException($"no entry '{StepKey}' (I64 [1], the number of optimizer steps already taken).");
        if (entry.DType != DType.I64 || entry.Count != 1 || entry.Shape.Length > 1)
            throw new InvalidDataException($"entry {entry}; expected I64 [1], the number of optimizer steps already taken.");
        long step = entry.ToInt64Array()[0];
        if (step < 0)
            throw new InvalidDataException($"entry '{StepKey}' is {step}; the number of steps taken must be >= 0.");
        return step;
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);
}
