using TinyTorch;
using TinyTorch.Distributions;
using TinyTorch.Nn;
using TinyTorch.Optim;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace PolicyGradient.Update;

/// <summary>
/// One PPO gradient step (Schulman et al., 2017) on one minibatch, written to be read top to bottom on the autograd
/// engine exactly as CleanRL's ppo.py writes it in PyTorch: the new log-probabilities, entropy and values; the ratio
/// r = π/π_old; the clipped surrogate; the (clipped) value loss; the loss; backward; clipping; the optimizer step.
/// Each line carries its formula; <c>ε</c> is <see cref="PpoLossConfig.ClipCoef"/>.
/// </summary>
public static class PpoUpdate
{
    /// <summary>
    /// Updates <paramref name="agent"/> (whose parameters <paramref name="optimizer"/> holds) once on
    /// <paramref name="batch"/>. Returns the statistics computed before the step and, with <paramref name="explain"/>,
    /// every intermediate value (see <see cref="PpoExplanation"/>).
    /// </summary>
    /// <exception cref="ArgumentException">When the batch does not fit the agent or a hyperparameter is out of range.</exception>
    public static PpoUpdateResult Step(Agent agent, Optimizer optimizer, PpoBatch batch, PpoLossConfig config, bool explain = false)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        batch.Validate(agent.ObservationSize, agent.ActionCount);
        float clip = (float)config.ClipCoef;

        // π(·|s) = softmax(actor(s)); log π(a|s) = log_softmax(actor(s))[a]                  [B]
        Categorical policy = agent.GetPolicy(batch.Observations);
        Tensor newLogProb = policy.LogProb(batch.Actions);
        // H(π(·|s)) = −Σⱼ πⱼ·log πⱼ                                                           [B]
        Tensor entropy = policy.Entropy();
        // V(s) = critic(s)                                                                     [B]
        Tensor newValue = agent.GetValue(batch.Observations);

        // log r = log π(a|s) − log π_old(a|s);  r = e^(log r) = π(a|s)/π_old(a|s)             [B]
        Tensor logRatio = newLogProb - batch.LogProbs;
        Tensor ratio = logRatio.Exp();

        // Diagnostics and the advantages are constants of this step: no graph.
        float approxKl, clipFrac;
        Tensor advantages = batch.Advantages;
        (float Mean, float Std)? moments = null;
        using (Torch.NoGrad())
        {
            // approx_kl = mean((r − 1) − log r), an unbiased, never negative estimate of KL(π_old ‖ π)
            approxKl = ((ratio - 1f) - logRatio).Mean().Item();
            // clipfrac = mean([|r − 1| > ε]), how often the clip is active
            clipFrac = ClipFraction(ratio.Data, clip);
            if (config.NormAdv)
            {
                // Â ← (Â − mean(Â)) / (std(Â) + 1e-8), std unbiased
                Tensor mean = advantages.Mean(), std = advantages.Std();
                advantages = (advantages - mean) / (std + 1e-8f);
                moments = (mean.Item(), std.Item());
            }
        }

        // L_pg = mean(max(−Â·r, −Â·clip(r, 1 − ε, 1 + ε))): the pessimistic one of the two surrogates
        Tensor negativeAdvantages = advantages.Neg();
        Tensor pgLoss1 = negativeAdvantages * ratio;
        Tensor pgLoss2 = negativeAdvantages * ratio.Clamp(1f - clip, 1f + clip);
        Tensor pgLoss = pgLoss1.Maximum(pgLoss2).Mean();

        // (V − R)²                                                                             [B]
        Tensor vLossUnclipped = (newValue - batch.Returns).Square();
        Tensor? vLossClipped = null;
        Tensor vLoss;
        if (config.ClipVloss)
        {
            // V_clipped = V_old + clip(V − V_old, −ε, ε): the value may move at most ε from where it was
            Tensor vClipped = batch.Values + (newValue - batch.Values).Clamp(-clip, clip);
            vLossClipped = (vClipped - batch.Returns).Square();
            // L_v = ½·mean(max((V − R)², (V_clipped − R)²))
            vLoss = vLossUnclipped.Maximum(vLossClipped).Mean() * 0.5f;
        }
        else
        {
            // L_v = ½·mean((V − R)²)
            vLoss = vLossUnclipped.Mean() * 0.5f;
        }

        // L = L_pg − c₂·mean(H) + c₁·L_v
        Tensor entropyLoss = entropy.Mean();
        Tensor loss = pgLoss - entropyLoss * (float)config.EntCoef + vLoss * (float)config.VfCoef;

        // ∂L/∂θ ← 0, then ∂L/∂θ by the chain rule through both networks
        optimizer.ZeroGrad();
        loss.Backward();
        ParameterGradNorm[]? gradNorms = explain ? GradNorms(agent) : null;
        // g ← g·min(1, max_norm/(‖g‖ + 1e-6)), ‖g‖ over actor and critic together
        if (config.MaxGradNorm is { } maxNorm)
            Utils.ClipGradNorm(agent.Parameters(), maxNorm);
        WeightProbe? probe = explain ? WeightProbe.LargestGradient(agent.Actor, "actor.") : null;
        // θ ← θ − lr·m̂/(√v̂ + ε_Adam)
        optimizer.Step();

        var stats = new PpoStats(loss.Item(), pgLoss.Item(), vLoss.Item(), entropyLoss.Item(), approxKl, clipFrac);
        if (!explain)
            return new PpoUpdateResult(stats, null);
        double totalNorm = Math.Sqrt(gradNorms!.Sum(n => n.Norm * n.Norm));
        var clipped = new bool[batch.Size];
        for (int i = 0; i < clipped.Length; i++)
            clipped[i] = MathF.Abs(ratio.Data[i] - 1f) > clip;
        return new PpoUpdateResult(stats, new PpoExplanation(
            newLogProb.Clone(), batch.LogProbs.Clone(), ratio.Clone(), clipped, advantages.Clone(),
            pgLoss1.Clone(), pgLoss2.Clone(), newValue.Clone(), vLossUnclipped.Clone(), vLossClipped?.Clone(), entropy.Clone(),
            moments, stats, gradNorms!, totalNorm,
            config.MaxGradNorm is { } c ? Math.Min(1, c / (totalNorm + 1e-6)) : null,
            probe!.Finish(optimizer)));
    }

    /// <summary>mean([|r − 1| &gt; ε]), in float as PyTorch's <c>.float().mean()</c>.</summary>
    private static float ClipFraction(ReadOnlySpan<float> ratio, float clip)
    {
        int count = 0;
        foreach (float r in ratio)
            if (MathF.Abs(r - 1f) > clip)
                count++;
        return (float)count / ratio.Length;
    }

    private static ParameterGradNorm[] GradNorms(Agent agent)
    {
        var norms = new List<ParameterGradNorm>();
        foreach (var (name, parameter) in agent.NamedParameters())
            if (parameter.Grad is { } grad)
                norms.Add(new ParameterGradNorm(name, parameter.Shape.ToArray(), TensorPrimitives.Norm(grad.Data)));
        return [.. norms];
    }

    /// <summary>The weight of the first layer with the largest gradient, captured before the step and read back after it.</summary>
    private sealed class WeightProbe(string name, Tensor parameter, int flatIndex)
    {
        private readonly float _before = parameter.Data[flatIndex];
        private readonly float _grad = parameter.Grad!.Data[flatIndex];

        public static WeightProbe LargestGradient(Sequential network, string prefix)
        {
            foreach (var (name, parameter) in network.NamedParameters())
                if (parameter.Rank == 2 && parameter.Grad is { } grad)
                    return new WeightProbe(prefix + name, parameter, TensorPrimitives.IndexOfMaxMagnitude(grad.Data));
            throw new ArgumentException("The actor has no weight matrix with a gradient to follow.");
        }

        /// <summary>Adam's m and v for the weight after the step; null for any other optimizer (or Adam with decay or AMSGrad).</summary>
        public AdamWeightStep? Finish(Optimizer optimizer)
        {
            if (optimizer is not Adam { WeightDecay: 0, Amsgrad: false } adam)
                return null;
            int slot = -1;
            for (int i = 0; i < adam.Parameters.Count; i++)
                if (ReferenceEquals(adam.Parameters[i], parameter))
                    slot = i;
            if (slot < 0)
                throw new ArgumentException($"The optimizer does not hold the agent's parameter '{name}'.");
            OptimizerState state = adam.StateDict();
            int columns = parameter.Size(1);
            return new AdamWeightStep(name, [flatIndex / columns, flatIndex % columns], _before, _grad, adam.Lr, state.Step,
                adam.Beta1, adam.Beta2, adam.Eps,
                state.Tensors[$"{slot}.exp_avg"].Data[flatIndex], state.Tensors[$"{slot}.exp_avg_sq"].Data[flatIndex],
                parameter.Data[flatIndex]);
        }
    }
}
