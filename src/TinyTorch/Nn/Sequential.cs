using System.Collections;
using System.Globalization;

namespace TinyTorch.Nn;

/// <summary>
/// Modules applied one after another (PyTorch's <c>nn.Sequential</c>). Children are named by their index, so an MLP
/// Linear, ReLU, Linear has the state-dict keys <c>0.weight</c> [out, in], <c>0.bias</c>, <c>2.weight</c>, <c>2.bias</c>
/// (the ReLU at index 1 has none): the keys of <c>torch.nn.Sequential</c>, so checkpoints move between the two unchanged.
/// </summary>
public sealed class Sequential : Module, IReadOnlyList<Module>
{
    private readonly Module[] _modules;

    /// <summary>Chains <paramref name="modules"/>: child i is registered as "i", so parameters are named "0.weight", "0.bias", …</summary>
    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        _modules = (Module[])modules.Clone();
        for (int i = 0; i < _modules.Length; i++)
        {
            if (_modules[i] is null)
                throw new ArgumentException($"Sequential: module {i} is null.", nameof(modules));
            RegisterModule(i.ToString(CultureInfo.InvariantCulture), _modules[i]);
        }
    }

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Length;

    /// <summary>Module <paramref name="index"/>.</summary>
    public Module this[int index] => _modules[index];

    /// <summary>x → module_{n−1}(…module_1(module_0(x))).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor x = input;
        foreach (Module module in _modules)
            x = module.Forward(x);
        return x;
    }

    /// <summary>The modules in order.</summary>
    public IEnumerator<Module> GetEnumerator() => ((IEnumerable<Module>)_modules).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// A multilayer perceptron Linear, ReLU, …, Linear (no activation after the last layer), initialised from
    /// <paramref name="rng"/>: <c>Mlp(rng, 4, [128, 128], 2)</c> is 4 → 128 → 128 → 2.
    /// </summary>
    public static Sequential Mlp(Rng rng, int inFeatures, ReadOnlySpan<int> hiddenSizes, int outFeatures)
    {
        var sizes = new int[hiddenSizes.Length + 2];
        sizes[0] = inFeatures;
        hiddenSizes.CopyTo(sizes.AsSpan(1));
        sizes[^1] = outFeatures;
        return Mlp(rng, sizes);
    }

    /// <summary>An MLP from its layer sizes, input first: <c>[4, 128, 128, 2]</c>.</summary>
    public static Sequential Mlp(Rng rng, ReadOnlySpan<int> layerSizes)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (layerSizes.Length < 2)
            throw new ArgumentException($"An MLP needs at least an input and an output size, got {Tensor.FormatShape(layerSizes)}.", nameof(layerSizes));
        for (int i = 0; i < layerSizes.Length; i++)
            if (layerSizes[i] < 1)
                throw new ArgumentException($"MLP layer sizes must be positive, got {Tensor.FormatShape(layerSizes)}.", nameof(layerSizes));

        var modules = new List<Module>();
        for (int l = 0; l + 1 < layerSizes.Length; l++)
        {
            if (l > 0)
                modules.Add(new ReLU());
            modules.Add(new Linear(layerSizes[l], layerSizes[l + 1], rng));
        }
        return new Sequential([.. modules]);
    }

    /// <summary>
    /// The layer sizes, input first, of the MLP (as built by <see cref="Mlp(Rng, ReadOnlySpan{int})"/>) whose state dict
    /// this is: keys <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, … with a Linear with bias at every even index and a
    /// ReLU at every odd one. Any other state dict is rejected with a message naming the offending key or shapes.
    /// </summary>
    public static int[] InferMlpSizes(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        const string expected = "expected an MLP state dict with keys '0.weight', '0.bias', '2.weight', '2.bias', ...";
        if (stateDict.Count == 0)
            throw new ArgumentException($"The state dict is empty; {expected}.", nameof(stateDict));

        var weights = new SortedDictionary<int, Tensor>();
        var biases = new SortedDictionary<int, Tensor>();
        foreach (var (key, value) in stateDict)
        {
            int dot = key.IndexOf('.', StringComparison.Ordinal);
            string suffix = dot < 0 ? "" : key[(dot + 1)..];
            if (dot <= 0
                || !int.TryParse(key.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || index.ToString(CultureInfo.InvariantCulture) != key[..dot]
                || (suffix != "weight" && suffix != "bias"))
                throw new ArgumentException($"State dict key '{key}' is not a Linear parameter of a Sequential; {expected}.", nameof(stateDict));
            if (index % 2 != 0)
                throw new ArgumentException($"State dict key '{key}' is at odd index {index}, where an MLP has a ReLU (no parameters); {expected}.", nameof(stateDict));
            ArgumentNullException.ThrowIfNull(value, key);
            (suffix == "weight" ? weights : biases)[index] = value;
        }

        int layers = Math.Max(weights.Count == 0 ? 0 : weights.Keys.Max(), biases.Count == 0 ? 0 : biases.Keys.Max()) / 2 + 1;
        var sizes = new int[layers + 1];
        for (int l = 0; l < layers; l++)
        {
            int index = 2 * l;
            if (!weights.TryGetValue(index, out Tensor? weight))
                throw new ArgumentException($"State dict has no key '{index}.weight'; {expected}.", nameof(stateDict));
            if (!biases.TryGetValue(index, out Tensor? bias))
                throw new ArgumentException($"State dict has no key '{index}.bias' (MLP layers have a bias); {expected}.", nameof(stateDict));
            if (weight.Rank != 2 || weight.Size(0) < 1 || weight.Size(1) < 1)
                throw new ArgumentException($"'{index}.weight' has shape {Tensor.FormatShape(weight.Shape)}; a Linear weight is [out, in] with both positive.", nameof(stateDict));
            if (bias.Rank != 1 || bias.Count != weight.Size(0))
                throw new ArgumentException($"'{index}.bias' has shape {Tensor.FormatShape(bias.Shape)} but '{index}.weight' has shape {Tensor.FormatShape(weight.Shape)}; expected [{weight.Size(0)}].", nameof(stateDict));
            if (l > 0 && weight.Size(1) != sizes[l])
                throw new ArgumentException($"'{index}.weight' has shape {Tensor.FormatShape(weight.Shape)} but '{index - 2}.weight' outputs {sizes[l]} features; expected [{weight.Size(0)}, {sizes[l]}].", nameof(stateDict));
            if (l == 0)
                sizes[0] = weight.Size(1);
            sizes[l + 1] = weight.Size(0);
        }
        return sizes;
    }

    /// <summary>Builds the MLP that <paramref name="stateDict"/> describes (see <see cref="InferMlpSizes"/>) and loads it.</summary>
    public static Sequential MlpFromStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        int[] sizes = InferMlpSizes(stateDict);
        // The initial draw is overwritten by the load, so any fixed seed will do.
        Sequential mlp = Mlp(new Rng(0), sizes);
        mlp.LoadStateDict(stateDict);
        return mlp;
    }
}
