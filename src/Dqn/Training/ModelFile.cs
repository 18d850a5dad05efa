using System.Globalization;
using System.Text.Json;
using Training.Config;
using Dqn.Tabular;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using Training.Runs;

namespace Dqn.Training;

/// <summary>
/// model.safetensors and last.safetensors: a trained policy in a file PyTorch reads.
/// <list type="bullet">
/// <item>DQN: the state dict of the <c>torch.nn.Sequential</c> Linear, ReLU, …, Linear, with PyTorch's keys
/// (<c>0.weight</c> [out, in], <c>0.bias</c>, <c>2.weight</c>, …), all F32, so
/// <c>model.load_state_dict(safetensors.torch.load_file(path))</c> works unchanged. A plain network outputs the |A|
/// Q-values. A dueling network is saved the same way, but its last layer outputs 1 + |A| values [V, A₀, …] and the
/// metadata says <c>"dueling": "true"</c>: Q = V + A − mean(A) must then be applied by the reader (in PyTorch:
/// <c>out[:, :1] + out[:, 1:] - out[:, 1:].mean(1, keepdim=True)</c>).</item>
/// <item>Tabular Q-learning: one F32 entry <c>q_table</c> [states, actions] and the discretisation in the metadata
/// (<c>"tabular"</c>, the config's JSON).</item>
/// </list>
/// The metadata (strings) also names the format, the algorithm, the layer sizes and the run (preset, seed, step,
/// evaluation). A file without metadata whose tensors form an MLP, as PyTorch writes it, loads as a plain Q-network.
/// </summary>
public static class ModelFile
{
    /// <summary>The metadata <c>"format"</c> of a model file.</summary>
    public const string Format = "scratchrl-model";
    /// <summary>The tensor name of a Q-table, F32 [states, actions].</summary>
    public const string TableKey = "q_table";

    /// <summary>Writes a Q-network (atomically).</summary>
    public static void SaveNetwork(string path, Sequential network, bool dueling, IReadOnlyDictionary<string, string>? metadata = null) =>
        Network(network, dueling, metadata).Write(path);

    /// <summary>A Q-network's model file in memory (a copy of its weights), to write now or later on any thread.</summary>
    public static SafetensorsFile Network(Sequential network, bool dueling, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var stateDict = network.StateDict();
        int[] sizes = Sequential.InferMlpSizes(stateDict);
        var all = Metadata(metadata, "dqn");
        all["dueling"] = dueling ? "true" : "false";
        all["sizes"] = string.Join(',', sizes);
        return SafetensorsFile.FromStateDict(stateDict, all);
    }

    /// <summary>Writes a Q-table with the discretisation that indexes it (atomically).</summary>
    public static void SaveTable(string path, QTable table, TabularConfig tabular, IReadOnlyDictionary<string, string>? metadata = null) =>
        Table(table, tabular, metadata).Write(path);

    /// <summary>A Q-table's model file in memory (a copy of its values), to write now or later on any thread.</summary>
    public static SafetensorsFile Table(QTable table, TabularConfig tabular, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(tabular);
        var all = Metadata(metadata, "qtable");
        all["tabular"] = JsonSerializer.Serialize(tabular, TrainConfigJson.Options).ReplaceLineEndings("");
        var entry = SafetensorsEntry.FromArray<float>(TableKey, table.Values, [table.StateCount, table.ActionCount]);
        return new SafetensorsFile([entry], all);
    }

    /// <summary>Reads a model file; throws <see cref="ModelFileException"/> naming the file and the problem.</summary>
    public static LoadedModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SafetensorsException)
        {
            throw new ModelFileException(e is FileNotFoundException or DirectoryNotFoundException
                ? $"model file '{path}' does not exist."
                : $"'{path}' is not a model file: {e.Message}", e);
        }
        var metadata = file.Metadata ?? new Dictionary<string, string>();
        try
        {
            return metadata.TryGetValue("algorithm", out string? algorithm) && algorithm == "qtable"
                ? LoadTable(path, file, metadata)
                : LoadNetwork(path, file, metadata);
        }
        catch (Exception e) when (e is ArgumentException or SafetensorsException or JsonException or InvalidDataException)
        {
            throw new ModelFileException($"'{path}' does not hold a Q-network or Q-table: {e.Message}", e);
        }
    }

    private static LoadedModel LoadNetwork(string path, SafetensorsFile file, IReadOnlyDictionary<string, string> metadata)
    {
        foreach (var entry in file.Entries)
        {
            if (entry.DType != DType.F32)
                throw new InvalidDataException($"entry '{entry.Name}' has dtype {entry.DType.ToHeaderName()}; a network's parameters are F32.");
        }
        var network = Sequential.MlpFromStateDict(file.ToStateDict());
        int[] sizes = Sequential.InferMlpSizes(network.StateDict());
        bool dueling = metadata.TryGetValue("dueling", out string? d) && d == "true";
        var policy = QNetworkPolicy.Greedy(network, dueling);
        string shape = string.Join('-', sizes);
        return new LoadedModel
        {
            Path = path,
            Algorithm = Algorithm.Dqn,
            Policy = policy,
            ObservationSize = sizes[0],
            ActionCount = policy.ActionCount,
            Description = dueling ? $"dueling MLP {shape} (V and {policy.ActionCount} advantages)" : $"MLP {shape}",
            Network = network,
            Dueling = dueling,
            Metadata = metadata,
        };
    }

    private static LoadedModel LoadTable(string path, SafetensorsFile file, IReadOnlyDictionary<string, string> metadata)
    {
        if (!file.TryGetEntry(TableKey, out var entry))
            throw new InvalidDataException($"a Q-table file needs the entry '{TableKey}'.");
        if (entry.Shape.Length != 2 || entry.Shape[0] < 1 || entry.Shape[1] < 1)
            throw new InvalidDataException($"'{TableKey}' has shape {Tensor.FormatShape(entry.Shape)}; expected [states, actions].");
        if (!metadata.TryGetValue("tabular", out string? json))
            throw new InvalidDataException("a Q-table file needs the metadata 'tabular' (its discretisation).");
        var tabular = JsonSerializer.Deserialize<TabularConfig>(json, TrainConfigJson.Options)
            ?? throw new InvalidDataException("the metadata 'tabular' is null.");
        var discretizer = new Discretizer(tabular.Bins, tabular.Low, tabular.High);
        int states = entry.Shape[0], actions = entry.Shape[1];
        if (discretizer.StateCount != states)
            throw new InvalidDataException($"the discretisation makes {discretizer.StateCount} states but '{TableKey}' has {states} rows.");
        var table = new QTable(states, actions);
        entry.ToArray<float>().CopyTo(table.Values);
        return new LoadedModel
        {
            Path = path,
            Algorithm = Algorithm.QTable,
            Policy = new TabularPolicy(discretizer, table),
            ObservationSize = discretizer.ObservationSize,
            ActionCount = actions,
            Description = string.Create(CultureInfo.InvariantCulture, $"Q-table, {states} states × {actions} actions"),
            Metadata = metadata,
        };
    }

    private static Dictionary<string, string> Metadata(IReadOnlyDictionary<string, string>? extra, string algorithm)
    {
        var all = new Dictionary<string, string> { ["format"] = Format, ["algorithm"] = algorithm };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
                all[key] = value;
        }
        return all;
    }
}
