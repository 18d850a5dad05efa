using Training.Config;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Dqn.Update;

/// <summary>
/// One DQN gradient step (Mnih et al., 2015), written to be read top to bottom on the autograd engine, as CleanRL's
/// dqn.py writes it in PyTorch, with everything the training loop uses: a bootstrap discount per transition (n-step
/// returns), importance-sampling weights and new priorities (prioritized replay, Schaul et al., 2016), Double DQN
/// (van Hasselt et al., 2016), the dueling head (Wang et al., 2016), the Huber or squared loss and gradient clipping.
/// The target y without a graph, the prediction Q(s, a) with one, the loss between them, backward, optional clipping,
/// the optimizer step; each line carries its formula. <see cref="FastQUpdate"/> does the same arithmetic on
/// preallocated buffers for training; the tests hold the two to each other, to a double-precision reference and to PyTorch.
/// </summary>
public static class QUpdate
{
    /// <summary>
    /// Updates <paramref name="qNetwork"/> (the online network, whose parameters <paramref name="optimizer"/> holds) once
    /// on <paramref name="batch"/>; <paramref name="targetNetwork"/> is only read. With <paramref name="dueling"/> both
    /// networks output 1 + |A| values per row, [V, A₀, …], combined into Q = V + A − mean A; otherwise the |A| Q-values.
    /// Returns the loss computed before the step, the new priorities |δᵢ| and, with <paramref name="explain"/>, every
    /// intermediate value (see <see cref="QUpdateExplanation"/>). <paramref name="beforeBackward"/>, when given,
    /// receives the loss just before backward (to draw its graph).
    /// </summary>
    /// <exception cref="ArgumentException">The networks differ in shape, or the batch does not fit them (the message names the entry).</exception>
    public static QUpdateResult Step(
        Sequential qNetwork, Sequential targetNetwork, Optimizer optimizer, QBatch batch, QUpdateConfig config,
        bool dueling = false, bool explain = false, Action<Tensor>? beforeBackward = null)
    {
        ArgumentNullException.ThrowIfNull(qNetwork);
        ArgumentNullException.ThrowIfNull(targetNetwork);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(config);
        var (observationSize, actionCount) = InputsAndActions(qNetwork, targetNetwork, dueling);
        batch.Validate(observationSize, actionCount);
        int b = batch.Size;
        // dᵢ: the transition's own discount (γⁿ for an n-step return), or γ for every transition   [B]
        Tensor discounts = batch.Discounts ?? Torch.Full((float)config.Gamma, b);
        // wᵢ: the importance-sampling weight of prioritized replay, or 1 for every transition     [B]
        Tensor weights = batch.Weights ?? Torch.Ones(b);

        // The regression target is a constant of this step: computed without a graph, no gradient flows into it.
        Tensor nextQTarget, nextValue, y;
        Tensor? nextQOnline = null;
        int[] nextActions;
        using (Torch.NoGrad())
        {
            // Q_target(s′, ·)                                                              [B, A]
            nextQTarget = QValues(targetNetwork.Forward(batch.NextObservations), dueling);
            if (config.DoubleDqn)
            {
                // a* = argmax_a′ Q_online(s′, a′): the online network picks the action, the target network rates it
                nextQOnline = QValues(qNetwork.Forward(batch.NextObservations), dueling);
                nextActions = nextQOnline.Max(1).Indices;
                // Q_target(s′, a*)                                                         [B]
                nextValue = nextQTarget.Gather(1, nextActions);
            }
            else
            {
                // max_a′ Q_target(s′, a′), with a* its argmax                              [B]
                (nextValue, nextActions) = nextQTarget.Max(1);
            }
            // y = r + dᵢ·(1 − done)·Q_target(s′, a*): a terminal s′ has no future          [B]
            y = batch.Rewards + discounts * (1f - batch.Terminated) * nextValue;
        }

        // f_θ(s), the online network's output, recorded for backward                       [B, A] or [B, 1 + A]
        Tensor output = qNetwork.Forward(batch.Observations);
        // Q(s, ·): the output itself, or V + A − mean A with the dueling head              [B, A]
        Tensor q = QValues(output, dueling);
        // Q(s, a) = gather(Q(s, ·), a): the value of the action actually taken              [B]
        Tensor qTaken = q.Gather(1, batch.Actions);
        if (explain)
            qTaken.RetainGrad();
        // ℓᵢ = ℓ(Q(sᵢ, aᵢ) − yᵢ), ℓ the Huber loss or the squared error, one per transition  [B]
        Tensor sampleLosses = config.Loss == LossKind.Huber
            ? qTaken.SmoothL1Loss(y, (float)config.HuberBeta, Reduction.None)
            : qTaken.MseLoss(y, Reduction.None);
        // L = (1/B)·Σᵢ wᵢ·ℓᵢ
        Tensor loss = (weights * sampleLosses).Mean();

        // ∂L/∂θ ← 0: backward adds to the gradients, so the last step's are cleared first
        optimizer.ZeroGrad();
        beforeBackward?.Invoke(loss);
        // ∂L/∂θ by the chain rule: L → ℓᵢ → Q(s, a) → Q(s, ·) → (dueling head) → last Linear → ReLU → … → first Linear
        loss.Backward();
        ParameterGradNorm[]? gradNorms = explain ? GradNorms(qNetwork) : null;
        // g ← g·min(1, max_norm/(‖g‖ + 1e-6)), ‖g‖ taken over all parameters together
        if (config.MaxGradNorm is { } maxNorm)
            Utils.ClipGradNorm(qNetwork.Parameters(), maxNorm);
        WeightProbe? probe = explain ? WeightProbe.LargestFirstLayerGradient(qNetwork) : null;
        BackpropChain? chain = explain ? BackpropChain.OfLargestShare(qNetwork, batch, qTaken.Grad!.Data, dueling, probe!.Unit, probe.Input) : null;
        // θ ← θ − step(g): lr·g for SGD, lr·m̂/(√v̂ + ε) for Adam
        optimizer.Step();

        // pᵢ = |δᵢ| = |Q(sᵢ, aᵢ) − yᵢ|, the new priorities of prioritized replay
        Tensor tdErrors = TdErrors(qTaken, y);
        var priorities = new Tensor(new float[b], b);
        TensorPrimitives.Abs(tdErrors.Data, priorities.Data);
        float lossValue = loss.Item();
        if (!explain)
            return new QUpdateResult(lossValue, priorities, null);
        double totalNorm = TotalNorm(gradNorms!);
        return new QUpdateResult(lossValue, priorities, new QUpdateExplanation(
            q.Detach().Clone(), dueling ? DuelingValues.Of(output) : null, (int[])batch.Actions.Clone(), qTaken.Detach().Clone(),
            nextQTarget, nextQOnline, nextActions, nextValue, batch.Discounts is null ? null : discounts, y,
            tdErrors, sampleLosses.Detach().Clone(), batch.Weights is null ? null : weights, qTaken.Grad!.Clone(), lossValue,
            chain!, gradNorms!, totalNorm, config.MaxGradNorm is { } c ? Math.Min(1, c / (totalNorm + 1e-6)) : null,
            probe!.Finish(optimizer)));
    }

    /// <summary>Q(s, ·) [B, A] from a network's output: the output itself, or the dueling head's combination of [B, 1 + A].</summary>
    private static Tensor QValues(Tensor output, bool dueling)
    {
        if (!dueling)
            return output;
        int actions = output.Size(1) - 1;
        // V(s) = out[:, :1]                                                                 [B, 1]
        Tensor v = output.Narrow(1, 0, 1);
        // A(s, ·) = out[:, 1:]                                                              [B, A]
        Tensor a = output.Narrow(1, 1, actions);
        // Q(s, a) = V(s) + A(s, a) − (1/|A|)·Σ_a′ A(s, a′)
        return v + a - a.Mean(1, keepdim: true);
    }

    /// <summary>The observation size and the number of actions, which both networks must share.</summary>
    private static (int Inputs, int Actions) InputsAndActions(Sequential qNetwork, Sequential targetNetwork, bool dueling)
    {
        var (qIn, qOut) = Sizes(qNetwork, "online");
        var (tIn, tOut) = Sizes(targetNetwork, "target");
        if (qIn != tIn || qOut != tOut)
            throw new ArgumentException($"The online network maps {qIn} inputs to {qOut} outputs but the target network maps {tIn} to {tOut}; they must have the same shape.");
        if (dueling && qOut < 2)
            throw new ArgumentException($"A dueling network outputs V and at least one advantage (1 + |A| values), but this one outputs {qOut}.");
        return (qIn, dueling ? qOut - 1 : qOut);
    }

    private static (int Inputs, int Outputs) Sizes(Sequential network, string role)
    {
        Linear[] linears = [.. network.OfType<Linear>()];
        if (linears.Length == 0)
            throw new ArgumentException($"The {role} network has no Linear layer.");
        return (linears[0].InFeatures, linears[^1].OutFeatures);
    }

    /// <summary>δ = Q(s, a) − y.</summary>
    private static Tensor TdErrors(Tensor qTaken, Tensor y)
    {
        var delta = new float[y.Count];
        TensorPrimitives.Subtract(qTaken.Data, y.Data, delta);
        return new Tensor(delta, y.Count);
    }

    private static ParameterGradNorm[] GradNorms(Sequential network)
    {
        var norms = new List<ParameterGradNorm>();
        foreach (var (name, parameter) in network.NamedParameters())
            if (parameter.Grad is { } grad)
                norms.Add(new ParameterGradNorm(name, parameter.Shape.ToArray(), TensorPrimitives.Norm(grad.Data)));
        return [.. norms];
    }

    /// <summary>√(Σ ‖∂L/∂p‖²): the norm of all gradients as one vector, the norm clipping looks at.</summary>
    private static double TotalNorm(ParameterGradNorm[] norms)
    {
        double sum = 0;
        foreach (ParameterGradNorm n in norms)
            sum += n.Norm * n.Norm;
        return Math.Sqrt(sum);
    }

    /// <summary>The weight of the first layer with the largest gradient, captured before the step and read back after it.</summary>
    private sealed class WeightProbe(string name, Tensor parameter, int flatIndex)
    {
        private readonly float _before = parameter.Data[flatIndex];
        private readonly float _grad = parameter.Grad!.Data[flatIndex];

        /// <summary>The weight's row (the unit it feeds) and column (the input it reads).</summary>
        public int Unit => flatIndex / parameter.Size(1);

        public int Input => flatIndex % parameter.Size(1);

        public static WeightProbe LargestFirstLayerGradient(Sequential network)
        {
            foreach (var (name, parameter) in network.NamedParameters())
                if (parameter.Rank == 2 && parameter.Grad is { } grad)
                    return new WeightProbe(name, parameter, TensorPrimitives.IndexOfMaxMagnitude(grad.Data));
            throw new ArgumentException("The online network has no weight matrix with a gradient to follow.");
        }

        public WeightStep Finish(Optimizer optimizer)
        {
            int columns = parameter.Size(1);
            int[] index = [flatIndex / columns, flatIndex % columns];
            float after = parameter.Data[flatIndex];
            switch (optimizer)
            {
                case Adam adam when adam.WeightDecay == 0 && !adam.Amsgrad:
                    // m, v as the optimizer holds them after step t
                    OptimizerState state = adam.StateDict();
                    int slot = IndexOf(adam.Parameters, parameter);
                    float m = state.Tensors[$"{slot}.exp_avg"].Data[flatIndex];
                    float v = state.Tensors[$"{slot}.exp_avg_sq"].Data[flatIndex];
                    var view = new AdamView(state.Step, adam.Beta1, adam.Beta2, adam.Eps, m, v,
                        1 - Math.Pow(adam.Beta1, state.Step), 1 - Math.Pow(adam.Beta2, state.Step));
                    return new WeightStep(name, index, _before, _grad, adam.Lr, view.Step(adam.Lr), view, after);
                case SGD sgd when sgd.Momentum == 0 && sgd.WeightDecay == 0:
                    return new WeightStep(name, index, _before, _grad, sgd.Lr, sgd.Lr * _grad, null, after);
                default:
                    return new WeightStep(name, index, _before, _grad, optimizer.Lr, null, null, after);
            }
        }

        private int IndexOf(IReadOnlyList<Tensor> parameters, Tensor parameter)
        {
            for (int i = 0; i < parameters.Count; i++)
                if (ReferenceEquals(parameters[i], parameter))
                    return i;
            throw new ArgumentException($"The optimizer does not hold the online network's parameter '{name}'.");
        }
    }
}
