using PolicyGradient;
using PolicyGradient.Update;
using TinyTorch.Optim;
using static ScratchRl.Commands.ExplanationText;

namespace ScratchRl.Commands;

/// <summary>
/// Prints a <see cref="PpoExplanation"/> as plain text for a person to follow, in the order CleanRL's update computes:
/// policy and ratio, advantages and the clipped surrogate, value loss, the loss, backward, Adam's step for one weight.
/// </summary>
internal sealed class PpoUpdateExplanationWriter(TextWriter output, int rows)
{
    /// <summary>What is updated, on what, with which hyperparameters.</summary>
    public void WriteHeader(Agent agent, PpoBatch batch, PpoLossConfig config, Adam adam, int steps)
    {
        output.WriteLine($"PPO update of an agent with actor {Agent.Describe(agent.Actor)} and critic {Agent.Describe(agent.Critic)} (Tanh between layers) "
            + $"on a batch of {batch.Size} rows, {steps} step{(steps == 1 ? "" : "s")}, the whole batch as one minibatch.");
        output.WriteLine($"  ε = {Full(config.ClipCoef)} (clip), c₂ = {Full(config.EntCoef)} (entropy), c₁ = {Full(config.VfCoef)} (value), "
            + $"advantages {(config.NormAdv ? "normalised" : "as given")}, value loss {(config.ClipVloss ? "clipped" : "unclipped")}, "
            + $"clipping: {(config.MaxGradNorm is { } m ? $"max norm {Full(m)}" : "none")}, "
            + $"optimizer: Adam (β₁ = {Full(adam.Beta1)}, β₂ = {Full(adam.Beta2)}, ε = {Full(adam.Eps)}), lr = {Full(adam.Lr)}.");
    }

    /// <summary>One step's walkthrough, sections 1 to 6.</summary>
    public void WriteStep(int step, PpoBatch batch, PpoLossConfig config, PpoExplanation e)
    {
        int b = batch.Size, shown = Math.Min(rows, b);
        string eps = Full(config.ClipCoef);
        output.WriteLine();
        output.WriteLine($"=== step {step} ===");

        output.WriteLine();
        output.WriteLine("1. Policy: log π(a|s) = log_softmax(actor(s))[a]; ratio r = exp(log π(a|s) − log π_old(a|s)); clipped when |r − 1| > ε.");
        var policy = new Table(["row", "a", "log π_old(a|s)", "log π(a|s)", "r", "|r − 1| > ε"]);
        for (int i = 0; i < shown; i++)
            policy.Add([Int(i), Int(batch.Actions[i]), Num(e.OldLogProbs.Data[i]), Num(e.NewLogProbs.Data[i]), Num(e.Ratios.Data[i]), e.Clipped[i] ? "yes" : "no"]);
        policy.WriteTo(output, More(b, shown));
        output.WriteLine($"   approx_kl = mean((r − 1) − log r) = {Full(e.Stats.ApproxKl)}, clipfrac = mean(|r − 1| > ε) = {Full(e.Stats.ClipFrac)}");

        output.WriteLine();
        output.WriteLine(e.AdvantageMoments is { } m
            ? $"2. Surrogate: Â = (A − mean(A)) / (std(A) + 1e-8) with mean {Num(m.Mean)} and unbiased std {Num(m.Std)}; the loss takes the larger (pessimistic) of −Â·r and −Â·clip(r, 1 − ε, 1 + ε)."
            : "2. Surrogate: Â = A as given; the loss takes the larger (pessimistic) of −Â·r and −Â·clip(r, 1 − ε, 1 + ε).");
        var surrogate = new Table(["row", "A", "Â", "−Â·r", $"−Â·clip(r, 1 ∓ {eps})", "max"]);
        for (int i = 0; i < shown; i++)
        {
            float s1 = e.PgLoss1.Data[i], s2 = e.PgLoss2.Data[i];
            surrogate.Add([Int(i), Num(batch.Advantages.Data[i]), Num(e.Advantages.Data[i]), Num(s1), Num(s2), Num(Math.Max(s1, s2))]);
        }
        surrogate.WriteTo(output, More(b, shown));
        output.WriteLine($"   L_pg = mean(max) = {Full(e.Stats.PgLoss)}");

        output.WriteLine();
        if (e.VLossClipped is { } vClipped)
        {
            output.WriteLine("3. Value: V = critic(s); V_clip = V_old + clip(V − V_old, −ε, ε); the loss takes the larger of (V − R)² and (V_clip − R)².");
            var value = new Table(["row", "V_old", "V", "R", "(V − R)²", "(V_clip − R)²"]);
            for (int i = 0; i < shown; i++)
                value.Add([Int(i), Num(batch.Values.Data[i]), Num(e.NewValues.Data[i]), Num(batch.Returns.Data[i]), Num(e.VLossUnclipped.Data[i]), Num(vClipped.Data[i])]);
            value.WriteTo(output, More(b, shown));
            output.WriteLine($"   L_v = ½·mean(max((V − R)², (V_clip − R)²)) = {Full(e.Stats.VLoss)}");
        }
        else
        {
            output.WriteLine("3. Value: V = critic(s); the loss is the squared error (V − R)² (value clipping off).");
            var value = new Table(["row", "V_old", "V", "R", "(V − R)²"]);
            for (int i = 0; i < shown; i++)
                value.Add([Int(i), Num(batch.Values.Data[i]), Num(e.NewValues.Data[i]), Num(batch.Returns.Data[i]), Num(e.VLossUnclipped.Data[i])]);
            value.WriteTo(output, More(b, shown));
            output.WriteLine($"   L_v = ½·mean((V − R)²) = {Full(e.Stats.VLoss)}");
        }

        output.WriteLine();
        output.WriteLine("4. Entropy and loss: H = −Σⱼ πⱼ·log πⱼ per row, averaged; L = L_pg − c₂·H + c₁·L_v.");
        var entropy = new Table(["row", "H(π(·|s))"]);
        for (int i = 0; i < shown; i++)
            entropy.Add([Int(i), Num(e.Entropies.Data[i])]);
        entropy.WriteTo(output, More(b, shown));
        WriteAligned(output,
        [
            ("L_pg", Full(e.Stats.PgLoss)),
            ("H = mean entropy", Full(e.Stats.Entropy)),
            ("L_v", Full(e.Stats.VLoss)),
            ($"L = L_pg − {Full(config.EntCoef)}·H + {Full(config.VfCoef)}·L_v", Full(e.Stats.Loss)),
        ]);

        output.WriteLine();
        output.WriteLine("5. Backward: ∂L/∂θ by the chain rule, through the actor (from L_pg and H) and the critic (from L_v).");
        var norms = new Table(["parameter", "shape", "‖∂L/∂p‖"]);
        foreach (ParameterGradNorm g in e.GradNorms)
            norms.Add([g.Name, $"[{string.Join(", ", g.Shape)}]", Num(g.Norm)]);
        norms.WriteTo(output, null);
        output.WriteLine($"   total ‖g‖ = √(Σ ‖∂L/∂p‖²) = {Num(e.TotalGradNorm)}; " + (e.ClipFactor switch
        {
            null => "no clipping.",
            < 1 and var k => $"clipped to max norm {Full(config.MaxGradNorm!.Value)}: every gradient × {Num(k)}.",
            _ => $"within max norm {Full(config.MaxGradNorm!.Value)}, unchanged.",
        }));

        if (e.Weight is not { } w)
            return;
        output.WriteLine();
        output.WriteLine($"6. Adam step, followed for one weight: {w.Name}[{string.Join(", ", w.Index)}] (the actor's first layer's largest gradient).");
        output.WriteLine($"   t = {w.T}, lr = {Full(w.Lr)}, β₁ = {Full(w.Beta1)}, β₂ = {Full(w.Beta2)}, ε = {Full(w.Eps)}");
        WriteAligned(output,
        [
            ("θ", Full(w.Before)),
            ("g = ∂L/∂θ" + (e.ClipFactor is < 1 ? " (clipped)" : ""), Full(w.Grad)),
            ("m = β₁·m + (1 − β₁)·g", Full(w.M)),
            ("v = β₂·v + (1 − β₂)·g²", Full(w.V)),
            ($"m̂ = m / (1 − β₁ᵗ) = m / {Num(w.BiasCorrection1)}", Num(w.MHat)),
            ($"v̂ = v / (1 − β₂ᵗ) = v / {Num(w.BiasCorrection2)}", Num(w.VHat)),
            ("step = lr·m̂ / (√v̂ + ε)", Num(w.Step)),
            ("θ − step", Num(w.Before - w.Step)),
            ("θ′ (read back from the agent)", Full(w.After)),
        ]);
        output.WriteLine();
    }
}
