using System.Text;

namespace TinyTorch.Nn;

/// <summary>
/// Base of every layer and network (PyTorch's <c>nn.Module</c>): a function <see cref="Forward"/> plus the parameters
/// and sub-modules it registered, in registration order. Parameter names nest with dots, so a <see cref="Sequential"/>
/// holding a <see cref="Linear"/> at index 0 names its weight <c>0.weight</c>, exactly as PyTorch does, and a state dict
/// saved here loads into <c>torch.nn</c> unchanged and back.
/// Modules register everything in their constructors; the set of parameters is fixed afterwards.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Parameter)> _parameters = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private Tensor[]? _allParameters;

    /// <summary>The module's function: records the autograd graph when grad mode is on.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Registers a leaf tensor as a trainable parameter (sets <see cref="Tensor.RequiresGrad"/>).</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckName(name);
        if (!parameter.IsLeaf)
            throw new ArgumentException($"Parameter '{name}' must be a leaf tensor, not the output of {parameter.GradFn!.Name}.", nameof(parameter));
        parameter.RequiresGrad = true;
        _parameters.Add((name, parameter));
        _allParameters = null;
        return parameter;
    }

    /// <summary>Registers a sub-module; its parameters appear under <c>name.</c>.</summary>
    protected TModule RegisterModule<TModule>(string name, TModule module) where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        _children.Add((name, module));
        _allParameters = null;
        return module;
    }

    /// <summary>The direct sub-modules with their names, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>Every parameter with its dotted name: own parameters first, then each child's, depth first.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        foreach (var (name, parameter) in _parameters)
            yield return (name, parameter);
        foreach (var (childName, child) in _children)
            foreach (var (name, parameter) in child.NamedParameters())
                yield return ($"{childName}.{name}", parameter);
    }

    /// <summary>The parameters in <see cref="NamedParameters"/> order (what an optimizer takes). Cached: no allocation per call.</summary>
    public IReadOnlyList<Tensor> Parameters()
    {
        if (_allParameters is null)
        {
            var all = new List<Tensor>();
            foreach (var (_, parameter) in NamedParameters())
                all.Add(parameter);
            _allParameters = [.. all];
        }
        return _allParameters;
    }

    /// <summary>
    /// Name → value for every parameter, in <see cref="NamedParameters"/> order, with PyTorch's keys.
    /// As in PyTorch the values share storage with the parameters (detached from the graph): Clone them to keep a snapshot.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>();
        foreach (var (name, parameter) in NamedParameters())
            state.Add(name, parameter.Detach());
        return state;
    }

    /// <summary>
    /// Copies the values of <paramref name="stateDict"/> into the parameters in place (the optimizer keeps its references).
    /// Every check runs before anything is copied, so a failed load leaves the module unchanged.
    /// A shape mismatch always fails; with <paramref name="strict"/> a missing or unexpected key fails too.
    /// </summary>
    public StateDictLoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var missing = new List<string>();
        var mismatched = new List<string>();
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, parameter) in NamedParameters())
        {
            own.Add(name);
            if (!stateDict.TryGetValue(name, out Tensor? value))
                missing.Add(name);
            else if (value is null)
                throw new ArgumentException($"State dict entry '{name}' is null.", nameof(stateDict));
            else if (!value.Shape.SequenceEqual(parameter.Shape))
                mismatched.Add($"size mismatch for '{name}': the checkpoint has shape {Tensor.FormatShape(value.Shape)}, the model has {Tensor.FormatShape(parameter.Shape)}");
        }
        var unexpected = new List<string>();
        foreach (string key in stateDict.Keys)
            if (!own.Contains(key))
                unexpected.Add(key);

        var errors = new List<string>();
        if (strict && missing.Count > 0)
            errors.Add($"missing key(s) {Quote(missing)}");
        if (strict && unexpected.Count > 0)
            errors.Add($"unexpected key(s) {Quote(unexpected)}");
        errors.AddRange(mismatched);
        if (errors.Count > 0)
            throw new ArgumentException($"Error(s) in loading state dict for {GetType().Name}: {string.Join("; ", errors)}.", nameof(stateDict));

        foreach (var (name, parameter) in NamedParameters())
            if (stateDict.TryGetValue(name, out Tensor? value))
                value.Data.CopyTo(parameter.Data, 0);
        return new StateDictLoadResult(missing, unexpected);
    }

    /// <summary>
    /// Clears every parameter's gradient. By default the gradients are zeroed in place, which keeps their buffers so a
    /// training step allocates nothing; <paramref name="setToNone"/> drops them instead (PyTorch 2's default,
    /// <c>set_to_none=True</c>). The updates are the same either way when every parameter receives a gradient each step;
    /// optimizers skip parameters whose gradient is null.
    /// </summary>
    public void ZeroGrad(bool setToNone = false)
    {
        foreach (Tensor parameter in Parameters())
        {
            if (setToNone)
                parameter.Grad = null;
            else
                parameter.ZeroGrad();
        }
    }

    /// <summary>The module tree as PyTorch prints it.</summary>
    public override string ToString()
    {
        if (_children.Count == 0)
            return $"{GetType().Name}()";
        var sb = new StringBuilder(GetType().Name).Append('(');
        foreach (var (name, child) in _children)
            sb.Append("\n  (").Append(name).Append("): ").Append(child.ToString().Replace("\n", "\n  ", StringComparison.Ordinal));
        return sb.Append("\n)").ToString();
    }

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"Name '{name}' must not contain '.': dots separate the levels of a state-dict key.", nameof(name));
        foreach (var (existing, _) in _parameters)
            if (existing == name)
                throw new ArgumentException($"{GetType().Name} already has a parameter named '{name}'.", nameof(name));
        foreach (var (existing, _) in _children)
            if (existing == name)
                throw new ArgumentException($"{GetType().Name} already has a sub-module named '{name}'.", nameof(name));
    }

    private static string Quote(List<string> keys) => string.Join(", ", keys.Select(k => $"'{k}'"));
}
