using PolicyGradient.Update;
using TinyTorch;
using TinyTorch.Optim;

namespace PolicyGradient.Tests.Update;

/// <summary>
/// <see cref="PpoUpdate.Step"/> on random small agents and batches, for every combination of the flags, against
/// <see cref="DoublePpoLoss"/>: the statistics, the gradient (finite differences of the double loss) and the agent
/// after one clipped Adam step computed by hand.
/// </summary>
public class PpoUpdateDoubleReferenceTests
{
    private static IEnumerable<TestCaseData> Combinations()
    {
        foreach (bool normAdv in new[] { true, false })
            foreach (bool clipVloss in new[] { true, false })
                foreach (double? maxGradNorm in new double?[] { null, 0.05, 100 })
                    yield return new TestCaseData(normAdv, clipVloss, maxGradNorm, normAdv ? 0.01 : 0.05, clipVloss ? 0.2 : 0.1)
                        .SetArgDisplayNames($"norm_adv={normAdv}", $"clip_vloss={clipVloss}", $"max_grad_norm={maxGradNorm?.ToString() ?? "none"}");
    }

    [TestCaseSource(nameof(Combinations))]
    public void OneStepMatchesTheDoubleReference(bool normAdv, bool clipVloss, double? maxGradNorm, double entCoef, double clipCoef)
    {
        var config = new PpoLossConfig { ClipCoef = clipCoef, EntCoef = entCoef, VfCoef = 0.7, MaxGradNorm = maxGradNorm, NormAdv = normAdv, ClipVloss = clipVloss };
        var rng = new Rng(7);
        Agent agent = Agent.Create(3, 3, rng, [5, 4]);
        // Large weights so that the policy is far from uniform and ratios spread over both sides of the clip.
        foreach (Tensor p in agent.Parameters())
            for (int i = 0; i < p.Count; i++)
                p.Data[i] = (float)rng.NextNormal() * 0.8f;
        PpoBatch batch = RandomBatch(rng, agent, 13);

        var reference = new DoublePpoLoss(agent, batch, config);
        double[][] theta = reference.Parameters();
        var expected = reference.Evaluate(theta);
        double[][] grad = reference.Gradient(theta);
        Assert.That(expected.ClipFrac, Is.InRange(0.15, 0.85), "the batch exercises the clip on both sides");

        var adam = new Adam(agent.Parameters(), lr: 1e-3, eps: 1e-5);
        PpoUpdateResult result = PpoUpdate.Step(agent, adam, batch, config, explain: true);
        PpoStats s = result.Stats;
        Close(s.Loss, expected.Loss, "loss");
        Close(s.PgLoss, expected.PgLoss, "pg_loss");
        Close(s.VLoss, expected.VLoss, "v_loss");
        Close(s.Entropy, expected.Entropy, "entropy");
        Close(s.ApproxKl, expected.ApproxKl, "approx_kl");
        Assert.That(s.ClipFrac, Is.EqualTo(expected.ClipFrac).Within(1e-7), "clipfrac");

        // ‖∂L/∂p‖ per parameter before clipping, from the explanation, against the finite-difference gradient
        ParameterGradNorm[] norms = result.Explanation!.GradNorms;
        double total = 0;
        for (int p = 0; p < grad.Length; p++)
        {
            double norm = Math.Sqrt(grad[p].Sum(g => g * g));
            total += norm * norm;
            Assert.That(norms[p].Norm, Is.EqualTo(norm).Within(1e-5 + 1e-3 * norm), norms[p].Name);
        }
        total = Math.Sqrt(total);

        // g ← g·min(1, max/(‖g‖ + 1e-6)); first Adam step: m̂ = g, v̂ = g², θ′ = θ − lr·g/(|g| + ε)
        double factor = maxGradNorm is { } m ? Math.Min(1, m / (total + 1e-6)) : 1;
        if (maxGradNorm == 0.05)
            Assert.That(factor, Is.LessThan(1), "the small max norm clips");
        for (int p = 0; p < grad.Length; p++)
        {
            Tensor parameter = agent.Parameters()[p];
            for (int k = 0; k < grad[p].Length; k++)
            {
                double g = grad[p][k] * factor;
                double want = theta[p][k] - 1e-3 * g / (Math.Abs(g) + 1e-5);
                Assert.That(parameter.Data[k], Is.EqualTo(want).Within(1e-5 + 1e-4 * Math.Abs(want)), $"{norms[p].Name}[{k}]");
            }
        }
    }

    /// <summary>A batch whose old log-probabilities are the agent's own, shifted by noise so that ratios reach both clip bounds.</summary>
    private static PpoBatch RandomBatch(Rng rng, Agent agent, int b)
    {
        Tensor obs = Torch.Randn(rng, b, agent.ObservationSize);
        var actions = new int[b];
        for (int i = 0; i < b; i++)
            actions[i] = rng.NextInt(agent.ActionCount);
        Tensor logProbs;
        using (Torch.NoGrad())
            logProbs = agent.GetPolicy(obs).LogProb(actions);
        Tensor values = Torch.Randn(rng, b), advantages = Torch.Randn(rng, b).Mul(2f).Add(0.5f), returns = Torch.Randn(rng, b).Mul(1.5f);
        for (int i = 0; i < b; i++)
            logProbs.Data[i] += (float)rng.Uniform(-0.6, 0.6);
        return new PpoBatch(obs, actions, logProbs, advantages, returns, values);
    }

    private static void Close(double actual, double expected, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(1e-5 + 1e-4 * Math.Abs(expected)), what);
}
