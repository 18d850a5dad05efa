using TinyTorch;
using TinyTorch.Distributions;
using TinyTorch.IO;
using TinyTorch.Nn;
using Training.Policies;

namespace PolicyGradient;

/// <summary>
/// CleanRL ppo.py's <c>Agent</c>: a separate actor π(·|s) (observation → action logits) and critic V(s)
/// (observation → one value), each a <see cref="Sequential"/> of Linear layers with Tanh between them. Its state dict
/// has CleanRL's keys, <c>actor.0.weight</c> [H,D], <c>actor.0.bias</c>, …, <c>actor.{2k}.weight</c> [A,H], and
/// <c>critic.0.weight</c>, …, <c>critic.{2k}.weight</c> [1,H], so a file saved here loads into CleanRL's Agent with
/// <c>agent.load_state_dict(load_file(path))</c> and back. <see cref="Module.Parameters"/> lists the actor's
/// parameters, then the critic's. As an <see cref="IActionValues"/> it is the greedy policy a = argmax_a logits(s)
/// (what evaluation plays) and scores a state with π(a|s) and V(s) (the report's maps), one row at a time without
/// allocating.
/// </summary>
public sealed class Agent : Module, IActionValues
{
    private TanhMlpRow? _actorRow, _criticRow;

    /// <summary>Wraps an actor and a critic; the critic must end in one output and both must read the same observations.</summary>
    /// <exception cref="ArgumentException">When the networks have no Linear layer or their sizes do not fit together.</exception>
    public Agent(Sequential actor, Sequential critic)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(critic);
        var (actorIn, actorOut) = Sizes(actor, "actor");
        var (criticIn, criticOut) = Sizes(critic, "critic");
        if (criticOut != 1)
            throw new ArgumentException($"Agent: the critic must have one output (the value V(s)), got {criticOut}.", nameof(critic));
        if (actorIn != criticIn)
            throw new ArgumentException($"Agent: the actor reads {actorIn} observation values but the critic reads {criticIn}; they must read the same observations.", nameof(critic));
        Actor = RegisterModule("actor", actor);
        Critic = RegisterModule("critic", critic);
        ObservationSize = actorIn;
        ActionCount = actorOut;
    }

    /// <summary>s [B, D] → logits [B, A].</summary>
    public Sequential Actor { get; }

    /// <summary>s [B, D] → V(s) [B, 1].</summary>
    public Sequential Critic { get; }

    /// <summary>D, the length of an observation.</summary>
    public int ObservationSize { get; }

    /// <summary>A, the number of discrete actions.</summary>
    public int ActionCount { get; }

    /// <summary>
    /// A fresh agent with CleanRL's <c>layer_init</c>, drawn from <paramref name="rng"/> (actor first, layer by layer):
    /// every weight orthogonal with gain √2 except the actor's head (0.01, so that the first policy is nearly uniform)
    /// and the critic's head (1); every bias 0. <c>Create(4, 2, rng, [64, 64])</c> is CleanRL's CartPole agent.
    /// </summary>
    public static Agent Create(int observationSize, int actionCount, Rng rng, ReadOnlySpan<int> hiddenSizes)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return new Agent(
            CleanRlMlp(rng, observationSize, hiddenSizes, actionCount, headGain: 0.01),
            CleanRlMlp(rng, observationSize, hiddenSizes, 1, headGain: 1.0));
    }

    /// <summary>Probabilities: the scores of <see cref="Evaluate"/> are π(a|s), the state's value is V(s).</summary>
    public ActionScoreKind ScoreKind => ActionScoreKind.Probabilities;

    /// <summary>The greedy action argmax_a logits(s) of one observation (the first on ties, as torch.argmax).</summary>
    public int Act(ReadOnlySpan<float> observation) => EpsilonGreedy.Argmax(ActorRow.Forward(observation));

    /// <summary>
    /// Writes π(a|s) = softmax(logits(s))ₐ for every action and returns V(s), for one observation.
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="probabilities"/> does not hold <see cref="ActionCount"/> values.</exception>
    public float Evaluate(ReadOnlySpan<float> observation, Span<float> probabilities)
    {
        if (probabilities.Length != ActionCount)
            throw new ArgumentException($"Agent.Evaluate: {probabilities.Length} slots for {ActionCount} actions.", nameof(probabilities));
        System.Numerics.Tensors.TensorPrimitives.SoftMax(ActorRow.Forward(observation), probabilities);
        return (_criticRow ??= new TanhMlpRow(Critic)).Forward(observation)[0];
    }

    private TanhMlpRow ActorRow => _actorRow ??= new TanhMlpRow(Actor);

    /// <summary>The logits of π(·|s) (the actor's output): [B, D] → [B, A].</summary>
    public override Tensor Forward(Tensor input) => Actor.Forward(input);

    /// <summary>V(s) as a vector: [B, D] → [B] (CleanRL's <c>get_value(x)</c> viewed as −1).</summary>
    public Tensor GetValue(Tensor observations) => Critic.Forward(observations).Squeeze(1);

    /// <summary>π(·|s) as a <see cref="Categorical"/> over the actor's logits.</summary>
    public Categorical GetPolicy(Tensor observations) => new(Actor.Forward(observations));

    /// <summary>
    /// The agent whose CleanRL state dict this is: the keys under <c>actor.</c> and under <c>critic.</c> each describe a
    /// Sequential of Linear layers at even indices (Tanh at the odd ones); hidden sizes may differ between the two.
    /// </summary>
    /// <exception cref="ArgumentException">When a key is neither under <c>actor.</c> nor <c>critic.</c>, or a part is not such an MLP.</exception>
    public static Agent FromStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var parts = new Dictionary<string, Dictionary<string, Tensor>>(StringComparer.Ordinal)
        {
            ["actor"] = new(StringComparer.Ordinal),
            ["critic"] = new(StringComparer.Ordinal),
        };
        foreach (var (key, value) in stateDict)
        {
            int dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0 || !parts.TryGetValue(key[..dot], out var part))
                throw new ArgumentException($"State dict key '{key}' is not under 'actor.' or 'critic.'; expected CleanRL's Agent keys 'actor.0.weight', ..., 'critic.0.weight', ....", nameof(stateDict));
            part[key[(dot + 1)..]] = value;
        }
        var agent = new Agent(TanhMlp(parts["actor"], "actor"), TanhMlp(parts["critic"], "critic"));
        agent.LoadStateDict(stateDict);
        return agent;
    }

    /// <summary>Reads an agent saved by <see cref="Save"/> or by PyTorch (<c>save_file(agent.state_dict(), path)</c>).</summary>
    public static Agent Load(string path) => FromStateDict(Safetensors.LoadStateDict(path));

    /// <summary>Writes the state dict with CleanRL's keys as safetensors, atomically, with optional string metadata.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null) => ToFile(metadata).Write(path);

    /// <summary>The state dict with CleanRL's keys as a safetensors file in memory (a copy of the weights), to write now or later on any thread.</summary>
    public SafetensorsFile ToFile(IReadOnlyDictionary<string, string>? metadata = null) => SafetensorsFile.FromStateDict(StateDict(), metadata);

    /// <summary>The layer sizes of one part, input first: 4-64-64-2.</summary>
    public static string Describe(Sequential network) => string.Join("-", Sequential.InferMlpSizes(network.StateDict()));

    private static Sequential TanhMlp(Dictionary<string, Tensor> part, string name)
    {
        if (part.Count == 0)
            throw new ArgumentException($"The state dict has no '{name}.' keys; an Agent needs both an actor and a critic.");
        int[] sizes;
        try
        {
            sizes = Sequential.InferMlpSizes(part);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{name}: {e.Message}", e);
        }
        var modules = new List<Module>();
        var rng = new Rng(0);  // placeholder values, overwritten by the state dict
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            if (l > 0)
                modules.Add(new Tanh());
            modules.Add(new Linear(sizes[l], sizes[l + 1], rng));
        }
        return new Sequential([.. modules]);
    }

    /// <summary>Linear, Tanh, …, Linear with CleanRL's layer_init: orthogonal(√2) hidden weights, orthogonal(headGain) head, zero biases.</summary>
    private static Sequential CleanRlMlp(Rng rng, int inFeatures, ReadOnlySpan<int> hiddenSizes, int outFeatures, double headGain)
    {
        var sizes = new int[hiddenSizes.Length + 2];
        sizes[0] = inFeatures;
        hiddenSizes.CopyTo(sizes.AsSpan(1));
        sizes[^1] = outFeatures;
        var modules = new List<Module>();
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            if (l > 0)
                modules.Add(new Tanh());
            var linear = new Linear(sizes[l], sizes[l + 1], rng);
            // layer_init(layer, std): orthogonal_(weight, std), constant_(bias, 0)
            Init.Orthogonal_(linear.Weight, rng, l + 2 == sizes.Length ? headGain : Math.Sqrt(2));
            Init.Constant_(linear.Bias!, 0f);
            modules.Add(linear);
        }
        return new Sequential([.. modules]);
    }

    private static (int Inputs, int Outputs) Sizes(Sequential network, string role)
    {
        Linear[] linears = [.. network.OfType<Linear>()];
        if (linears.Length == 0)
            throw new ArgumentException($"Agent: the {role} has no Linear layer.");
        return (linears[0].InFeatures, linears[^1].OutFeatures);
    }
}
