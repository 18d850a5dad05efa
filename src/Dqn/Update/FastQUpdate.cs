using Training.Config;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace Dqn.Update;

/// <summary>
/// The DQN gradient step of the training loop: the arithmetic of <see cref="QUpdate.Step"/> (a discount per
/// transition, importance-sampling weights and new priorities |δ|, Double DQN, the dueling head, Huber or MSE,
/// clipping) on two <see cref="MlpWorkspace"/>s and buffers allocated once, so an update allocates nothing once the
/// largest batch has been seen. It takes the batch as spans, straight from the replay buffer, and writes each factor of
/// backward out instead of recording a graph; the tests hold it equal to <see cref="QUpdate"/> on every combination of
/// the options. Not thread-safe: one instance per training loop.
/// <para>
/// The online network's parameters get their gradients (<see cref="Tensor.Grad"/>) written in place and are updated by
/// the optimizer, which must hold them; the target network is only read.
/// With <c>dueling</c>, both networks output 1 + |A| values per row, [V, A₀, …], combined by
/// <see cref="DuelingHead"/>; otherwise they output the |A| Q-values directly.
/// </para>
/// </summary>
public sealed class FastQUpdate
{
    private readonly MlpWorkspace _online, _target;
    private readonly Optimizer _optimizer;
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly int _outputs;
    private float[] _q = [], _nextQ = [], _gradQ = [], _gradOutput = [], _stacked = [];
    private int[] _nextActions = [];
    private int _capacity;

    /// <summary>An update of <paramref name="qNetwork"/> towards targets from <paramref name="targetNetwork"/>, stepping <paramref name="optimizer"/>.</summary>
    /// <param name="qNetwork">The online network θ; its parameters get gradients and must be the optimizer's.</param>
    /// <param name="targetNetwork">The target network θ′, same shape; only read.</param>
    /// <param name="optimizer">Steps θ after each backward.</param>
    /// <param name="config">Loss, Double DQN, gradient clipping.</param>
    /// <param name="dueling">Both networks output [V, A₀, …] (1 + |A| values) instead of |A| Q-values.</param>
    /// <param name="batchCapacity">The batch size to allocate for; a larger batch grows the buffers once.</param>
    /// <exception cref="ArgumentException">When the networks' shapes differ, or a dueling network outputs fewer than 2 values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="batchCapacity"/> is below 1.</exception>
    public FastQUpdate(Sequential qNetwork, Sequential targetNetwork, Optimizer optimizer, QUpdateConfig config, bool dueling = false, int batchCapacity = 64)
    {
        ArgumentNullException.ThrowIfNull(qNetwork);
        ArgumentNullException.ThrowIfNull(targetNetwork);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchCapacity, 1);
        _online = new MlpWorkspace(qNetwork, config.DoubleDqn ? 2 * batchCapacity : batchCapacity);
        _target = new MlpWorkspace(targetNetwork, batchCapacity);
        if (_online.InFeatures != _target.InFeatures || _online.OutFeatures != _target.OutFeatures)
            throw new ArgumentException($"The online network maps {_online.InFeatures} inputs to {_online.OutFeatures} outputs but the target network maps {_target.InFeatures} to {_target.OutFeatures}; they must have the same shape.", nameof(targetNetwork));
        if (dueling && _online.OutFeatures < 2)
            throw new ArgumentException($"A dueling network outputs V and at least one advantage (1 + |A| values), but this one outputs {_online.OutFeatures}.", nameof(qNetwork));
        _optimizer = optimizer;
        _parameters = qNetwork.Parameters();
        _outputs = _online.OutFeatures;
        Config = config;
        Dueling = dueling;
        ObservationSize = _online.InFeatures;
        ActionCount = dueling ? _outputs - 1 : _outputs;
        EnsureCapacity(batchCapacity);
    }

    /// <summary>Loss, Double DQN and clipping of every step.</summary>
    public QUpdateConfig Config { get; }

    /// <summary>True when the networks end in a dueling head.</summary>
    public bool Dueling { get; }

    /// <summary>D, the length of one observation (the networks' input width).</summary>
    public int ObservationSize { get; }

    /// <summary>|A|, the number of actions.</summary>
    public int ActionCount { get; }

    /// <summary>
    /// One gradient step on a batch of B transitions; returns the loss L before the step.
    /// </summary>
    /// <param name="observations">s, row-major [B, D].</param>
    /// <param name="actions">a [B], each in [0, |A|); its length is B.</param>
    /// <param name="rewards">r [B] (for n-step transitions the discounted sum of the n rewards).</param>
    /// <param name="nextObservations">s′ [B, D].</param>
    /// <param name="terminated">[B]: 1 when s′ is terminal (nothing bootstrapped), 0 otherwise.</param>
    /// <param name="discounts">γᵢ [B], the factor in front of the bootstrapped value; empty: <see cref="QUpdateConfig.Gamma"/> for all.</param>
    /// <param name="weights">Importance-sampling weights wᵢ [B]: L = (1/B)·Σ wᵢ·ℓ(δᵢ); empty: all 1.</param>
    /// <param name="tdErrors">When not empty, receives |δᵢ| [B] (the new priorities of prioritized replay).</param>
    public float Step(
        ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards,
        ReadOnlySpan<float> nextObservations, ReadOnlySpan<float> terminated,
        ReadOnlySpan<float> discounts = default, ReadOnlySpan<float> weights = default, Span<float> tdErrors = default)
    {
        int b = actions.Length;
        Validate(observations, actions, rewards, nextObservations, terminated, discounts, weights, tdErrors);
        EnsureCapacity(b);
        int n = ActionCount;
        float gamma = (float)Config.Gamma, beta = (float)Config.HuberBeta;

        // Q_target(s′, ·), a prediction only (no backward: the weights are read in place)    [B, A]
        ReadOnlySpan<float> nextQTarget = QValues(_target.ForwardNoGrad(nextObservations), _nextQ, b);
        // Q(s, ·) = Q_online(s); the workspace keeps this pass's activations for backward    [B, A]
        // With Double DQN one online pass over [s; s′] (2B rows: each row's arithmetic is unchanged, the weights are
        // read once) also gives Q_online(s′, ·), rows B..2B.
        ReadOnlySpan<float> online = _online.Forward(Config.DoubleDqn ? Stack(observations, nextObservations) : observations);
        // a* = argmax_a′ Q_online(s′, a′) with Double DQN (online picks, target rates), else argmax_a′ Q_target(s′, a′)
        Span<int> nextActions = _nextActions.AsSpan(0, b);
        MlpWorkspace.ArgMax(Config.DoubleDqn ? QValues(online[(b * _outputs)..], _q, b) : nextQTarget, n, nextActions);
        ReadOnlySpan<float> q = QValues(online[..(b * _outputs)], _q, b);

        // ∂L/∂Q(s, ·): zero except at the action taken in each row
        Span<float> gradQ = (Dueling ? _gradQ : _gradOutput).AsSpan(0, b * n);
        gradQ.Clear();
        double lossSum = 0;
        for (int i = 0; i < b; i++)
        {
            int taken = i * n + actions[i];
            // y = r + γᵢ·(1 − done)·Q_target(s′, a*), γᵢ = γⁿ for an n-step transition; a constant (no gradient)
            float discount = discounts.IsEmpty ? gamma : discounts[i];
            float y = rewards[i] + (1f - terminated[i]) * discount * nextQTarget[i * n + nextActions[i]];
            // δ = Q(s, a) − y
            float delta = q[taken] - y;
            float loss, slope;
            if (Config.Loss == LossKind.Huber)
            {
                // c = clamp(δ, −β, β): ℓ = c·(δ − c/2)/β (½δ²/β inside, |δ| − ½β outside), ℓ′ = c/β
                float c = Math.Clamp(delta, -beta, beta);
                loss = c * (delta - 0.5f * c) / beta;
                slope = c / beta;
            }
            else
            {
                // ℓ = δ², ℓ′ = 2δ
                loss = delta * delta;
                slope = 2f * delta;
            }
            // L = (1/B)·Σᵢ wᵢ·ℓ(δᵢ), wᵢ the importance-sampling weight (1 without prioritized replay)
            float w = weights.IsEmpty ? 1f : weights[i];
            lossSum += w * loss;
            // ∂L/∂Q(sᵢ, aᵢ) = wᵢ·ℓ′(δᵢ)/B
            gradQ[taken] = w * slope / b;
            if (!tdErrors.IsEmpty)
                tdErrors[i] = MathF.Abs(delta);
        }

        // ∂L/∂output: with a dueling head, ∂L/∂V = Σ_a ∂L/∂Q_a and ∂L/∂A_c = ∂L/∂Q_c − mean_a ∂L/∂Q_a
        Span<float> gradOutput = _gradOutput.AsSpan(0, b * _outputs);
        if (Dueling)
            DuelingHead.Backward(gradQ, n, gradOutput);
        // ∂L/∂θ by the chain rule, layer by layer from the last (MlpWorkspace.Backward), written over the last step's
        _online.Backward(gradOutput, accumulate: false);
        // g ← g·min(1, max_norm/(‖g‖ + 1e-6))
        if (Config.MaxGradNorm is { } maxNorm)
            Utils.ClipGradNorm(_parameters, maxNorm);
        // θ ← θ − step(g)
        _optimizer.Step();
        return (float)(lossSum / b);
    }

    /// <summary>[s; s′]: the two batches [B, D] one under the other, [2B, D], in a buffer of this instance.</summary>
    private ReadOnlySpan<float> Stack(ReadOnlySpan<float> observations, ReadOnlySpan<float> nextObservations)
    {
        Span<float> both = _stacked.AsSpan(0, 2 * observations.Length);
        observations.CopyTo(both);
        nextObservations.CopyTo(both[observations.Length..]);
        return both;
    }

    /// <summary>The Q-values [B, A] of a network output: the output itself, or its dueling combination written to <paramref name="buffer"/>.</summary>
    private ReadOnlySpan<float> QValues(ReadOnlySpan<float> output, float[] buffer, int batch)
    {
        if (!Dueling)
            return output;
        Span<float> q = buffer.AsSpan(0, batch * ActionCount);
        DuelingHead.Forward(output, ActionCount, q);
        return q;
    }

    private void Validate(
        ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards,
        ReadOnlySpan<float> nextObservations, ReadOnlySpan<float> terminated,
        ReadOnlySpan<float> discounts, ReadOnlySpan<float> weights, Span<float> tdErrors)
    {
        int b = actions.Length;
        if (b == 0)
            throw new ArgumentException("FastQUpdate.Step: the batch is empty (no actions); a Q-update needs at least one transition.", nameof(actions));
        RequireLength(observations.Length, b, ObservationSize, nameof(observations));
        RequireLength(nextObservations.Length, b, ObservationSize, nameof(nextObservations));
        RequireLength(rewards.Length, b, 1, nameof(rewards));
        RequireLength(terminated.Length, b, 1, nameof(terminated));
        if (!discounts.IsEmpty)
            RequireLength(discounts.Length, b, 1, nameof(discounts));
        if (!weights.IsEmpty)
            RequireLength(weights.Length, b, 1, nameof(weights));
        if (!tdErrors.IsEmpty)
            RequireLength(tdErrors.Length, b, 1, nameof(tdErrors));
        for (int i = 0; i < b; i++)
            if ((uint)actions[i] >= (uint)ActionCount)
                throw new ArgumentOutOfRangeException(nameof(actions), actions[i], $"FastQUpdate.Step: actions[{i}] is {actions[i]}, but there are {ActionCount} actions (valid: 0..{ActionCount - 1}).");
    }

    /// <summary>Checks that a span holds <paramref name="batch"/> rows of <paramref name="width"/> values; the message is built only on failure.</summary>
    private static void RequireLength(int length, int batch, int width, string name)
    {
        if (length != batch * width)
            throw new ArgumentException($"FastQUpdate.Step: {name} has {length} values; a batch of {batch} (the number of actions) needs {(width == 1 ? $"[{batch}]" : $"[{batch}, {width}]")} = {batch * width}.", name);
    }

    /// <summary>Grows the buffers (once, to at least double) when a batch larger than any before arrives.</summary>
    private void EnsureCapacity(int batch)
    {
        if (batch <= _capacity)
            return;
        int capacity = Math.Max(batch, 2 * _capacity);
        _q = new float[capacity * ActionCount];
        _nextQ = new float[capacity * ActionCount];
        _gradQ = new float[capacity * ActionCount];
        _gradOutput = new float[capacity * _outputs];
        _nextActions = new int[capacity];
        _stacked = Config.DoubleDqn ? new float[2 * capacity * ObservationSize] : [];
        _capacity = capacity;
    }
}
