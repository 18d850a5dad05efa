using System.Globalization;

namespace TinyTorch.Optim;

/// <summary>
/// Base of the optimizers (PyTorch's <c>torch.optim.Optimizer</c> with one parameter group). <see cref="Step"/> updates
/// every parameter that has a gradient, in place, from its <see cref="Tensor.Grad"/> and the optimizer's own
/// per-parameter buffers (momentum, moment estimates), which are allocated on the first step that needs them; after
/// that a step allocates nothing.
/// <para>
/// The step count t is the optimizer's, shared by all parameters. PyTorch counts steps per parameter; the two agree
/// whenever every parameter gets a gradient at every step, as in the training loops here.
/// </para>
/// </summary>
public abstract class Optimizer
{
    private readonly Tensor[] _parameters;
    private readonly string[] _stateNames;
    private readonly float[]?[][] _state;
    private double _lr;

    /// <param name="parameters">The tensors to optimize, typically <c>module.Parameters()</c>.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="stateNames">The buffers kept per parameter, with PyTorch's names (e.g. <c>exp_avg</c>).</param>
    protected Optimizer(IEnumerable<Tensor> parameters, double lr, params string[] stateNames)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        if (_parameters.Length == 0)
            throw new ArgumentException($"{GetType().Name} got an empty parameter list.", nameof(parameters));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor p = _parameters[i] ?? throw new ArgumentException($"{GetType().Name}: parameter {i} is null.", nameof(parameters));
            if (!p.IsLeaf)
                throw new ArgumentException($"{GetType().Name} can't optimize parameter {i}: it is the output of {p.GradFn!.Name}, not a leaf tensor.", nameof(parameters));
            if (!seen.Add(p))
                throw new ArgumentException($"{GetType().Name}: parameter {i} appears more than once in the parameter list.", nameof(parameters));
            LargestParameter = Math.Max(LargestParameter, p.Count);
        }
        Lr = lr;
        _stateNames = stateNames;
        _state = new float[]?[stateNames.Length][];
        for (int s = 0; s < stateNames.Length; s++)
            _state[s] = new float[]?[_parameters.Length];
    }

    /// <summary>The tensors the optimizer updates, in the order given (the order of <see cref="StateDict"/>).</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The learning rate; may be changed between steps (a schedule).</summary>
    public double Lr
    {
        get => _lr;
        set => _lr = RequireNonNegative(value, "lr", "learning rate");
    }

    /// <summary>How many times <see cref="Step"/> has run: the t of the update rules.</summary>
    public long StepCount { get; private set; }

    /// <summary>One update of every parameter whose gradient is not null (the others are skipped, as in PyTorch).</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor p = _parameters[i];
            if (p.Grad is not { } grad)
                continue;
            if (grad.Count != p.Count)
                throw new InvalidOperationException($"{GetType().Name}: parameter {i} of shape {Tensor.FormatShape(p.Shape)} has a gradient of shape {Tensor.FormatShape(grad.Shape)}.");
            Update(i, p.Data, grad.Data);
        }
    }

    /// <summary>
    /// Clears the gradients of the parameters: zeroed in place by default (the buffers are kept, so training allocates
    /// nothing), or dropped with <paramref name="setToNone"/> (PyTorch 2's default; such parameters are then skipped by
    /// <see cref="Step"/> until they get a gradient again).
    /// </summary>
    public void ZeroGrad(bool setToNone = false)
    {
        foreach (Tensor p in _parameters)
        {
            if (setToNone)
                p.Grad = null;
            else
                p.ZeroGrad();
        }
    }

    /// <summary>
    /// The step count and every buffer created so far. As in PyTorch the tensors share storage with the optimizer's
    /// buffers: serialize them (or Clone them) before the next <see cref="Step"/> to keep a snapshot.
    /// </summary>
    public OptimizerState StateDict()
    {
        var tensors = new OrderedDictionary<string, Tensor>();
        for (int i = 0; i < _parameters.Length; i++)
            for (int s = 0; s < _stateNames.Length; s++)
                if (_state[s][i] is { } buffer)
                    tensors.Add(Key(i, s), new Tensor(buffer, _parameters[i].Shape.ToArray()));
        return new OptimizerState(StepCount, tensors);
    }

    /// <summary>
    /// Restores a state saved by <see cref="StateDict"/> of an optimizer of the same kind over parameters of the same
    /// shapes: values are copied, buffers absent from <paramref name="state"/> are dropped, and the step count is set,
    /// so the following steps are exactly those the saved optimizer would have taken. Everything is checked before
    /// anything changes.
    /// </summary>
    public void LoadStateDict(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(state.Tensors);
        if (state.Step < 0)
            throw new ArgumentException($"{GetType().Name}: the optimizer state has step count {state.Step}; expected >= 0.", nameof(state));
        var found = new Tensor?[_stateNames.Length, _parameters.Length];
        foreach (var (key, value) in state.Tensors)
        {
            int dot = key.IndexOf('.', StringComparison.Ordinal);
            int slot = dot < 0 ? -1 : Array.IndexOf(_stateNames, key[(dot + 1)..]);
            if (slot < 0
                || !int.TryParse(key.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || index >= _parameters.Length
                || Key(index, slot) != key)
                throw new ArgumentException($"{GetType().Name}: unexpected key '{key}' in the optimizer state; expected '<parameter index < {_parameters.Length}>.<buffer>' with a buffer among {ExpectedBuffers()}.", nameof(state));
            if (value is null)
                throw new ArgumentException($"{GetType().Name}: optimizer state entry '{key}' is null.", nameof(state));
            if (!value.Shape.SequenceEqual(_parameters[index].Shape))
                throw new ArgumentException($"{GetType().Name}: optimizer state entry '{key}' has shape {Tensor.FormatShape(value.Shape)} but parameter {index} has shape {Tensor.FormatShape(_parameters[index].Shape)}.", nameof(state));
            found[slot, index] = value;
        }
        for (int i = 0; i < _parameters.Length; i++)
            for (int s = 1; s < _stateNames.Length; s++)
                if ((found[s, i] is null) != (found[0, i] is null))
                    throw new ArgumentException($"{GetType().Name}: the optimizer state has '{Key(i, found[0, i] is null ? s : 0)}' but not '{Key(i, found[0, i] is null ? 0 : s)}'; a parameter's buffers come together.", nameof(state));

        for (int s = 0; s < _stateNames.Length; s++)
            for (int i = 0; i < _parameters.Length; i++)
            {
                if (found[s, i] is { } value)
                {
                    _state[s][i] ??= new float[_parameters[i].Count];
                    value.Data.CopyTo(_state[s][i]!, 0);
                }
                else
                {
                    _state[s][i] = null;
                }
            }
        StepCount = state.Step;
    }

    /// <summary>The update rule for parameter <paramref name="index"/>: change <paramref name="parameter"/> in place.</summary>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> grad);

    /// <summary>The largest parameter's element count: the size of any scratch buffer a rule needs.</summary>
    protected int LargestParameter { get; }

    /// <summary>
    /// Buffer <paramref name="slot"/> (an index into the constructor's state names) of parameter <paramref name="index"/>,
    /// created as zeros on first use; <paramref name="created"/> tells whether that happened now.
    /// </summary>
    protected Span<float> State(int slot, int index, out bool created)
    {
        float[]? buffer = _state[slot][index];
        created = buffer is null;
        if (buffer is null)
            _state[slot][index] = buffer = new float[_parameters[index].Count];
        return buffer;
    }

    /// <summary>Buffer <paramref name="slot"/> of parameter <paramref name="index"/>, zeros when first used.</summary>
    protected Span<float> State(int slot, int index) => State(slot, index, out _);

    /// <summary>Checks that <paramref name="value"/> ≥ 0 (and not NaN); the message names it as PyTorch does.</summary>
    protected static double RequireNonNegative(double value, string paramName, string description) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(paramName, value, $"Invalid {description}: {value.ToString(CultureInfo.InvariantCulture)}; expected >= 0.");

    /// <summary>Checks that a decay rate β is in [0, 1).</summary>
    protected static double RequireBeta(double value, string paramName, string description) =>
        value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(paramName, value, $"Invalid {description}: {value.ToString(CultureInfo.InvariantCulture)}; expected a value in [0, 1).");

    private string Key(int index, int slot) => $"{index.ToString(CultureInfo.InvariantCulture)}.{_stateNames[slot]}";

    private string ExpectedBuffers() =>
        _stateNames.Length == 0 ? "none (this configuration keeps no state)" : string.Join(", ", _stateNames.Select(n => $"'{n}'"));
}
