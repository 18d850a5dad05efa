using System.Globalization;
using System.Text;
using Training.Config;
using Dqn.Update;
using TinyTorch.Optim;

using static ScratchRl.Commands.ExplanationText;

namespace ScratchRl.Commands;

/// <summary>
/// Prints a <see cref="QUpdateExplanation"/> as plain text for a person to follow, in the order the update computes:
/// prediction (with the dueling head's V, A and mean A), target (with the batch's discounts), TD errors and loss (with
/// its weights), backward, optimizer step. Numbers are printed to 7 significant digits;
/// the loss and the followed weight in full (shortest round-trip form), so they can be compared with PyTorch's.
/// </summary>
internal sealed class QUpdateExplanationWriter(TextWriter output, int rows)
{
    /// <param name="network">The online network as a phrase: "an MLP 4-64-64-2", "a dueling MLP 2-2-3 (V and 2 advantages)".</param>
    public void WriteHeader(string network, QBatch batch, QUpdateConfig config, Optimizer optimizer, int steps)
    {
        output.WriteLine($"Q-update of {network} on a batch of {batch.Size} transitions, {steps} step{(steps == 1 ? "" : "s")}.");
        output.WriteLine($"  γ = {Full(config.Gamma)}{(batch.Discounts is null ? "" : " (unused: the batch has its own discounts)")}, "
            + $"loss = {(config.Loss == LossKind.Huber ? $"Huber (β = {Full(config.HuberBeta)})" : "MSE")}, "
            + $"{(config.DoubleDqn ? "Double DQN" : "DQN")}, clipping: {(config.MaxGradNorm is { } c ? $"max norm {Full(c)}" : "none")}, "
            + $"optimizer: {OptimizerName(optimizer)}, lr = {Full(optimizer.Lr)}.");
        if (batch.Discounts is not null || batch.Weights is not null)
            output.WriteLine($"  The batch has {(batch.Discounts is null ? "" : "per-transition discounts d (in place of γ)")}{(batch.Discounts is not null && batch.Weights is not null ? " and " : "")}"
                + $"{(batch.Weights is null ? "" : "importance-sampling weights w")}.");
        if (optimizer.StepCount > 0)
            output.WriteLine($"  The optimizer resumes after {optimizer.StepCount} step{(optimizer.StepCount == 1 ? "" : "s")} (--optimizer-state).");
    }

    public void WriteStep(int step, QBatch batch, QUpdateConfig config, QUpdateExplanation e)
    {
        int n = e.Q.Size(1), b = batch.Size, shown = Math.Min(rows, b);
        output.WriteLine();
        output.WriteLine($"=== step {step} ===");

        output.WriteLine();
        if (e.Dueling is { } head)
        {
            output.WriteLine("1. Prediction: the network outputs V(s) and A(s,·); the dueling head makes Q(s,·) = V + A − mean A; Q(s,a) = gather(Q(s,·), a), the action taken.");
            var prediction = new Table(["row", "V", .. Columns("A(s,{0})", n), "mean(A)", .. Columns("Q(s,{0})", n), "a", "Q(s,a)"]);
            for (int i = 0; i < shown; i++)
                prediction.Add([Int(i), Num(head.V.Data[i]), .. Row(head.Advantages.Data, i, n), Num(head.MeanAdvantage.Data[i]),
                    .. Row(e.Q.Data, i, n), Int(e.Actions[i]), Num(e.QTaken.Data[i])]);
            prediction.WriteTo(output, More(b, shown));
        }
        else
        {
            output.WriteLine("1. Prediction: Q(s,·) = Q_online(s), the network's value of every action; Q(s,a) = gather(Q(s,·), a), the action taken.");
            var prediction = new Table(["row", .. Columns("Q(s,{0})", n), "a", "Q(s,a)"]);
            for (int i = 0; i < shown; i++)
                prediction.Add([Int(i), .. Row(e.Q.Data, i, n), Int(e.Actions[i]), Num(e.QTaken.Data[i])]);
            prediction.WriteTo(output, More(b, shown));
        }

        output.WriteLine();
        string discount = e.Discounts is null ? "γ" : "d";
        string perTransition = e.Discounts is null ? "" : ", d the transition's own discount";
        output.WriteLine(config.DoubleDqn
            ? $"2. Target: y = r + {discount}·(1 − done)·Q_target(s′,a*), a* = argmax_a′ Q_online(s′,a′) (Double DQN){perTransition}, computed without gradient."
            : $"2. Target: y = r + {discount}·(1 − done)·max_a′ Q_target(s′,a′){perTransition}, computed without gradient.");
        var target = new Table(["row", .. config.DoubleDqn ? Columns("Q_online(s′,{0})", n) : [], .. Columns("Q_target(s′,{0})", n), "a*",
            config.DoubleDqn ? "Q_target(s′,a*)" : "max", "r", .. e.Discounts is null ? Array.Empty<string>() : ["d"], "done", "y"]);
        for (int i = 0; i < shown; i++)
            target.Add([Int(i), .. config.DoubleDqn ? Row(e.NextQOnline!.Data, i, n) : [], .. Row(e.NextQTarget.Data, i, n),
                Int(e.NextActions[i]), Num(e.NextValue.Data[i]), Num(batch.Rewards.Data[i]),
                .. e.Discounts is null ? Array.Empty<string>() : [Num(e.Discounts.Data[i])], Num(batch.Terminated.Data[i]), Num(e.Y.Data[i])]);
        target.WriteTo(output, More(b, shown));

        output.WriteLine();
        string ell = config.Loss == LossKind.Huber
            ? $"ℓ(δ) = ½δ²/β if |δ| < β else |δ| − ½β (Huber, β = {Full(config.HuberBeta)})"
            : "ℓ(δ) = δ² (MSE)";
        string weighted = e.Weights is null ? "" : "w·";
        string slope = config.Loss == LossKind.Huber ? $"{weighted}clamp(δ,−β,β)/(β·B)" : $"{weighted}2δ/B";
        output.WriteLine(e.Weights is null
            ? $"3. TD error δ = Q(s,a) − y, {ell}, loss L = (1/B)·Σ ℓ(δ), and backward's first factor ∂L/∂Q(s,a) = {slope}."
            : $"3. TD error δ = Q(s,a) − y, {ell}, loss L = (1/B)·Σ w·ℓ(δ) with w the importance-sampling weight, and backward's first factor ∂L/∂Q(s,a) = {slope}.");
        var errors = new Table(["row", "δ", "ℓ(δ)", .. e.Weights is null ? Array.Empty<string>() : ["w"], "∂L/∂Q(s,a)"]);
        for (int i = 0; i < shown; i++)
            errors.Add([Int(i), Num(e.TdErrors.Data[i]), Num(e.SampleLosses.Data[i]),
                .. e.Weights is null ? Array.Empty<string>() : [Num(e.Weights.Data[i])], Num(e.LossGradient.Data[i])]);
        errors.WriteTo(output, More(b, shown));
        output.WriteLine($"   L = {Full(e.Loss)} (mean of {b} values of {weighted}ℓ)");

        output.WriteLine();
        output.WriteLine($"4. Backward: ∂L/∂θ by the chain rule, from ∂L/∂Q(s,a) through gather, {(e.Dueling is null ? "" : "the dueling head, ")}each Linear and ReLU, to the first layer.");
        WriteChain(e.Chain, e.Weight);
        output.WriteLine("   Over the whole batch, the gradient of each parameter (the sum of every row's share):");
        var norms = new Table(["parameter", "shape", "‖∂L/∂p‖"]);
        foreach (ParameterGradNorm g in e.GradNorms)
            norms.Add([g.Name, $"[{string.Join(", ", g.Shape)}]", Num(g.Norm)]);
        norms.WriteTo(output, null);
        output.WriteLine($"   total ‖g‖ = √(Σ ‖∂L/∂p‖²) = {Num(e.TotalGradNorm)}; " + (e.ClipCoefficient switch
        {
            null => "no clipping.",
            < 1 and var k => $"clipped to max norm {Full(config.MaxGradNorm!.Value)}: every gradient × {Num(k)}.",
            _ => $"within max norm {Full(config.MaxGradNorm!.Value)}, unchanged.",
        }));

        output.WriteLine();
        WeightStep w = e.Weight;
        output.WriteLine($"5. Optimizer step, followed for one weight: {w.Name}[{string.Join(", ", w.Index)}] (the first layer's largest gradient).");
        var lines = new List<(string, string)>
        {
            ("θ", Full(w.Before)),
            ("g = ∂L/∂θ" + (e.ClipCoefficient is < 1 ? " (clipped)" : ""), Full(w.Grad)),
        };
        if (w.Adam is { } adam)
        {
            output.WriteLine($"   Adam, t = {adam.T}, lr = {Full(w.LearningRate)}, β₁ = {Full(adam.Beta1)}, β₂ = {Full(adam.Beta2)}, ε = {Full(adam.Eps)}");
            lines.Add(("m = β₁·m + (1 − β₁)·g", Full(adam.M)));
            lines.Add(("v = β₂·v + (1 − β₂)·g²", Full(adam.V)));
            lines.Add(($"m̂ = m / (1 − β₁ᵗ) = m / {Num(adam.BiasCorrection1)}", Num(adam.MHat)));
            lines.Add(($"v̂ = v / (1 − β₂ᵗ) = v / {Num(adam.BiasCorrection2)}", Num(adam.VHat)));
            lines.Add(("step = lr·m̂ / (√v̂ + ε)", Num(w.Step!.Value)));
        }
        else if (w.Step is { } sgdStep)
        {
            output.WriteLine($"   SGD, lr = {Full(w.LearningRate)}");
            lines.Add(("step = lr·g", Num(sgdStep)));
        }
        if (w.Step is { } s)
            lines.Add(("θ − step", Lower((w.Before - s).ToString("G9", CultureInfo.InvariantCulture))));
        lines.Add(("θ′ (read back from the network)", Full(w.After)));
        WriteAligned(output, lines);
        output.WriteLine();
    }

    /// <summary>
    /// One row's backward, module by module (vectors of more than <see cref="VectorEntries"/> values are cut; a weight
    /// gradient is shown whole up to <see cref="MatrixEntries"/> values, else the row's share of one entry: the followed
    /// weight in the first layer, the largest elsewhere).
    /// </summary>
    private void WriteChain(BackpropChain chain, WeightStep followed)
    {
        output.WriteLine($"   Row {chain.Row} alone (the largest share of the weight followed in 5.), from the loss back to the first layer; backward does this for every row and adds the rows up:");
        output.WriteLine($"     ∂L/∂Q(s,a) = {Num(chain.LossGradient)} (a = {chain.Action})");
        output.WriteLine($"     gather: ∂L/∂Q(s,·) = {Vector(chain.QGradient)}");
        if (chain.OutputGradient != chain.QGradient)
            output.WriteLine($"     dueling head: ∂L/∂(V, A) = {Vector(chain.OutputGradient)} (∂L/∂V = Σ_a ∂L/∂Q_a, ∂L/∂A_c = ∂L/∂Q_c − mean_a ∂L/∂Q_a)");
        foreach (BackpropChain.ModuleStep m in chain.Modules)
        {
            string k = Int(m.Index);
            if (!m.IsLinear)
            {
                output.WriteLine($"     module {k}, ReLU: z = {Vector(m.Input)}; ∂L/∂z = ∂L/∂h ⊙ [z > 0] = {Vector(m.InputGradient)}");
                continue;
            }
            float[] g = m.OutputGradient, x = m.Input;
            output.WriteLine($"     module {k}, Linear {x.Length} → {g.Length}: ∂L/∂z = ∂L/∂{k}.bias = {Vector(g)}");
            if (g.Length * x.Length <= MatrixEntries)
            {
                var rows = new string[g.Length];
                for (int o = 0; o < g.Length; o++)
                    rows[o] = Vector([.. x.Select(xi => g[o] * xi)]);
                output.WriteLine($"       x = {Vector(x)}; ∂L/∂{k}.weight = ∂L/∂z ⊗ x = [{string.Join(", ", rows)}]");
            }
            else
            {
                bool isFollowed = followed.Name == $"{k}.weight";
                int o = isFollowed ? followed.Index[0] : IndexOfMaxMagnitude(g), i = isFollowed ? followed.Index[1] : IndexOfMaxMagnitude(x);
                output.WriteLine($"       x = {Vector(x)}; ∂L/∂{k}.weight[{Int(o)}, {Int(i)}] = ∂L/∂z[{Int(o)}]·x[{Int(i)}] = {Num(g[o])}·{Factor(x[i])} = {Num(g[o] * x[i])}"
                    + (isFollowed ? " (this row's share of the weight followed in 5.)" : " (the largest entry)"));
            }
            output.WriteLine($"       ∂L/∂x = Wᵀ·∂L/∂z = {Vector(m.InputGradient)}");
        }
    }

    private const int VectorEntries = 8, MatrixEntries = 16;

    /// <summary>[a, b, …] with at most <see cref="VectorEntries"/> values: [a, …, h, … 56 more].</summary>
    private static string Vector(float[] values)
    {
        IEnumerable<string> shown = values.Take(VectorEntries).Select(v => Num(v));
        return values.Length <= VectorEntries
            ? $"[{string.Join(", ", shown)}]"
            : $"[{string.Join(", ", shown)}, … {values.Length - VectorEntries} more]";
    }

    private static int IndexOfMaxMagnitude(float[] values) => System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude(values);

    private static string OptimizerName(Optimizer optimizer) => optimizer switch
    {
        Adam a => $"Adam (β₁ = {Full(a.Beta1)}, β₂ = {Full(a.Beta2)}, ε = {Full(a.Eps)})",
        SGD => "SGD",
        _ => optimizer.GetType().Name,
    };


    private static string[] Columns(string format, int n)
    {
        var names = new string[n];
        for (int a = 0; a < n; a++)
            names[a] = string.Format(CultureInfo.InvariantCulture, format, a);
        return names;
    }

    private static string[] Row(float[] values, int row, int n)
    {
        var cells = new string[n];
        for (int a = 0; a < n; a++)
            cells[a] = Num(values[row * n + a]);
        return cells;
    }
}
