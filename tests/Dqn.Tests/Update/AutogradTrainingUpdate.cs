using Training.Config;
using Dqn.Update;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace Dqn.Tests.Update;

/// <summary>
/// The training extensions of <see cref="FastQUpdate"/> written directly as their formulas with autograd ops, to
/// check it against: the dueling head Q = V + A − mean_a A (V picked by gather, A by a 0/1 selection matrix),
/// y = r + γᵢ·(1 − done)·Q_target(s′, a*) with a discount per transition, the per-sample Huber loss built from ReLUs
/// (|δ| = relu(δ) + relu(−δ), m = |δ| − relu(|δ| − β), ℓ = ½m²/β + relu(|δ| − β)) and L = mean(w ⊙ ℓ).
/// </summary>
internal static class AutogradTrainingUpdate
{
    public static float Step(
        Sequential online, Sequential target, Optimizer optimizer, QUpdateConfig config, bool dueling, int actionCount,
        float[] observations, int[] actions, float[] rewards, float[] nextObservations, float[] dones,
        float[]? discounts, float[]? weights, out float[] absTdErrors)
    {
        int b = actions.Length, d = observations.Length / b;
        Tensor y;
        using (Torch.NoGrad())
        {
            var next = new Tensor((float[])nextObservations.Clone(), b, d);
            Tensor nextQTarget = QValues(target.Forward(next), dueling, actionCount);
            int[] nextActions = (config.DoubleDqn ? QValues(online.Forward(next), dueling, actionCount) : nextQTarget).Max(1).Indices;
            Tensor gammas = discounts is null ? Torch.Full((float)config.Gamma, b) : Torch.FromArray(discounts);
            y = Torch.FromArray(rewards) + (1f - Torch.FromArray(dones)) * gammas * nextQTarget.Gather(1, nextActions);
        }
        Tensor qTaken = QValues(online.Forward(new Tensor((float[])observations.Clone(), b, d)), dueling, actionCount).Gather(1, actions);
        Tensor delta = qTaken - y;
        Tensor perSample = config.Loss == LossKind.Huber ? Huber(delta, (float)config.HuberBeta) : delta * delta;
        Tensor loss = (weights is null ? perSample : Torch.FromArray(weights) * perSample).Mean();

        optimizer.ZeroGrad();
        loss.Backward();
        if (config.MaxGradNorm is { } maxNorm)
            Utils.ClipGradNorm(online.Parameters(), maxNorm);
        optimizer.Step();
        absTdErrors = [.. delta.Data.Select(Math.Abs)];
        return loss.Item();
    }

    /// <summary>Q = V + A − mean_a A from the output [B, 1 + n], or the output itself.</summary>
    private static Tensor QValues(Tensor output, bool dueling, int n)
    {
        if (!dueling)
            return output;
        int b = output.Size(0);
        Tensor v = output.Gather(1, new int[b], keepdim: true);
        var select = new float[(n + 1) * n];
        for (int a = 0; a < n; a++)
            select[(a + 1) * n + a] = 1f;
        Tensor advantages = output.MatMul(new Tensor(select, n + 1, n));
        return v + advantages - advantages.Mean(1, keepdim: true);
    }

    private static Tensor Huber(Tensor delta, float beta)
    {
        Tensor abs = delta.Relu() + (-delta).Relu();
        Tensor over = (abs - beta).Relu();
        Tensor inside = abs - over;
        return inside * inside * (0.5f / beta) + over;
    }
}
