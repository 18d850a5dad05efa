using System.Globalization;
using System.Text.Json.Nodes;
using PolicyGradient;
using PolicyGradient.Update;
using ScratchRl.Cli;
using Spectre.Console.Cli;
using TinyTorch.Optim;

namespace ScratchRl.Commands;

/// <summary>
/// <c>scratchrl ppo-update</c>: loads a CleanRL Agent and a minibatch from safetensors files, applies <c>--steps</c> PPO
/// updates (<see cref="PpoUpdate.Step"/>) on that batch with one fresh Adam, prints each step's statistics (as text or,
/// with <c>--json</c>, one JSON object per line) and writes the updated agent with CleanRL's keys. With
/// <c>--explain</c> it prints every intermediate value of each step first.
/// </summary>
public sealed class PpoUpdateCommand : Command<PpoUpdateSettings>
{
    public override int Execute(CommandContext context, PpoUpdateSettings settings, CancellationToken cancellationToken)
    {
        PpoLossConfig config = Check(settings);
        OutputFile.Check("--out", settings.Out!);
        Agent agent = PpoUpdateInputs.LoadAgent(settings.Weights!);
        PpoBatch batch = PpoUpdateInputs.LoadBatch(settings.Batch!, agent);
        // torch.optim.Adam(agent.parameters(), lr, eps=adam_eps): the actor's parameters, then the critic's
        var adam = new Adam(agent.Parameters(), settings.Lr!.Value, eps: settings.AdamEps);

        TextWriter output = Console.Out;
        var explainer = settings.Explain ? new PpoUpdateExplanationWriter(output, settings.ExplainRows) : null;
        explainer?.WriteHeader(agent, batch, config, adam, settings.Steps!.Value);
        for (int step = 1; step <= settings.Steps!.Value; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PpoUpdateResult result = PpoUpdate.Step(agent, adam, batch, config, settings.Explain);
            explainer?.WriteStep(step, batch, config, result.Explanation!);
            output.WriteLine(settings.Json ? Json(step, result.Stats) : Text(step, result.Stats));
        }
        OutputFile.Write("--out", settings.Out!, path => agent.Save(path));
        return ScratchRlApp.Success;
    }

    /// <summary>{"step":1,"loss":…,"pg_loss":…,"v_loss":…,"entropy":…,"approx_kl":…,"clipfrac":…}, each float exactly.</summary>
    private static string Json(int step, PpoStats s) => new JsonObject
    {
        ["step"] = step,
        ["loss"] = (double)s.Loss,
        ["pg_loss"] = (double)s.PgLoss,
        ["v_loss"] = (double)s.VLoss,
        ["entropy"] = (double)s.Entropy,
        ["approx_kl"] = (double)s.ApproxKl,
        ["clipfrac"] = (double)s.ClipFrac,
    }.ToJsonString();

    private static string Text(int step, PpoStats s) => string.Create(CultureInfo.InvariantCulture,
        $"step {step} loss {s.Loss} pg_loss {s.PgLoss} v_loss {s.VLoss} entropy {s.Entropy} approx_kl {s.ApproxKl} clipfrac {s.ClipFrac}");

    /// <summary>The update's configuration, or a usage error naming the flag.</summary>
    private static PpoLossConfig Check(PpoUpdateSettings s)
    {
        Require(s.Weights, "--weights <FILE> (the agent)");
        Require(s.Batch, "--batch <FILE> (the minibatch)");
        Require(s.Out, "--out <FILE> (where to write the updated agent)");
        if (s.Lr is not { } lr)
            throw new UsageException("missing --lr <LR> (Adam's learning rate, e.g. 0.00025).");
        if (s.Steps is not { } steps)
            throw new UsageException("missing --steps <N> (updates on the batch, e.g. 1).");
        RequireNonNegative("--lr", lr);
        RequireNonNegative("--clip-coef", s.ClipCoef);
        RequireNonNegative("--ent-coef", s.EntCoef);
        RequireNonNegative("--vf-coef", s.VfCoef);
        RequireNonNegative("--adam-eps", s.AdamEps);
        double? maxGradNorm = null;
        if (!string.Equals(s.MaxGradNorm, "none", StringComparison.OrdinalIgnoreCase))
        {
            if (!double.TryParse(s.MaxGradNorm, NumberStyles.Float, CultureInfo.InvariantCulture, out double m))
                throw new UsageException($"--max-grad-norm must be a number or none, got '{s.MaxGradNorm}'.");
            maxGradNorm = RequireNonNegative("--max-grad-norm", m);
        }
        TrainArguments.AtLeastOne("--steps", steps);
        TrainArguments.AtLeastOne("--explain-rows", s.ExplainRows);
        if (s.Json && s.Explain)
            throw new UsageException("--json and --explain cannot be combined: --json keeps stdout to one JSON object per step.");
        return new PpoLossConfig
        {
            ClipCoef = s.ClipCoef,
            EntCoef = s.EntCoef,
            VfCoef = s.VfCoef,
            MaxGradNorm = maxGradNorm,
            NormAdv = !s.NoNormAdv,
            ClipVloss = !s.NoClipVloss,
        };
    }

    private static void Require(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
            throw new UsageException($"missing {what}.");
    }

    private static double RequireNonNegative(string flag, double value) =>
        value >= 0 && double.IsFinite(value) ? value
            : throw new UsageException($"{flag} must be a finite number >= 0, got {value.ToString(CultureInfo.InvariantCulture)}.");
}
