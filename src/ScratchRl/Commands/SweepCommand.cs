using Dqn;
using System.Globalization;
using System.Text.Json.Nodes;
using Dqn.Training;
using ScratchRl.Cli;
using Spectre.Console.Cli;
using Training.Runs;

namespace ScratchRl.Commands;

/// <summary>
/// <c>scratchrl sweep</c>: trains one config on several seeds in turn (in this process, one core) and prints a row per
/// seed, then the solve rate (final evaluation ≥ solve_threshold), the median environment steps to solve (the step of
/// the first solving evaluation) and the median wall time of a run. Seeds that did not solve count as infinitely slow
/// in the medians, so a median is only finite when more than half of the seeds solved.
/// </summary>
public sealed class SweepCommand : Command<SweepSettings>
{
    public override int Execute(CommandContext context, SweepSettings settings, CancellationToken cancellationToken)
    {
        var (preset, config) = settings.BuildConfig();
        config = TrainConfigSettings.Validated(config);
        int seeds = settings.Seeds is { } n ? TrainArguments.Int("--seeds", n) : 10;
        if (seeds < 1)
            throw new UsageException($"--seeds must be at least 1, got {seeds}.");
        ulong firstSeed = settings.FirstSeed is { } f ? TrainArguments.ULong("--first-seed", f) : 1;
        string parent = settings.Out ?? Path.Combine("runs", $"sweep-{preset}");
        TextWriter rows = settings.Json ? Console.Error : Console.Out;
        var inv = CultureInfo.InvariantCulture;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (stop.IsCancellationRequested)
                return;
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var results = new List<RunResult>();
        try
        {
            rows.WriteLine($"sweep: preset {preset}, {seeds} seeds from {firstSeed}, runs in {parent}");
            rows.WriteLine("  seed  solved  solved at step  final eval (100)  wall s  solve s");
            for (int i = 0; i < seeds && !stop.IsCancellationRequested; i++)
            {
                ulong seed = firstSeed + (ulong)i;
                var run = TrainingRun.Create(DqnTrainers.Instance, config with { Seed = seed }, Path.Combine(parent, seed.ToString(inv)), preset);
                var result = run.Run(null, stop.Token);
                if (!result.Outcome.Finished)
                    break;
                results.Add(result);
                rows.WriteLine(Row(result));
                rows.Flush();
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        var summary = Summarize(results, config.SolveThreshold);
        rows.WriteLine(string.Create(inv,
            $"solved {summary.Solved}/{results.Count} · median env steps to solve {Show(summary.MedianSteps, "N0")} · median wall time {Show(summary.MedianWallSeconds, "0.00")} s (to the solving evaluation {Show(summary.MedianSolveSeconds, "0.00")} s)"));
        if (settings.Json)
        {
            var perSeed = new JsonArray();
            foreach (var r in results)
                perSeed.Add(r.ToJson());
            var json = new JsonObject
            {
                ["preset"] = preset,
                ["runs"] = results.Count,
                ["solved"] = summary.Solved,
                ["solve_rate"] = results.Count == 0 ? 0 : (double)summary.Solved / results.Count,
                ["median_steps_to_solve"] = Finite(summary.MedianSteps),
                ["median_wall_seconds"] = Finite(summary.MedianWallSeconds),
                ["median_solve_seconds"] = Finite(summary.MedianSolveSeconds),
                ["per_seed"] = perSeed,
            };
            Console.Out.WriteLine(json.ToJsonString());
        }
        return results.Count == seeds ? ScratchRlApp.Success : TrainCommand.Interrupted;
    }

    private static string Row(RunResult r)
    {
        var o = r.Outcome;
        var final = o.FinalEvaluation!;
        return string.Create(CultureInfo.InvariantCulture,
            $"  {r.Config.Seed,4}  {(r.Solved ? "yes" : "no"),6}  {(o.SolvedAtStep is { } s ? s.ToString("N0", CultureInfo.InvariantCulture) : "–"),14}  {final.Mean,10:0.0} ± {final.Std,4:0.0}  {o.Elapsed.TotalSeconds,6:0.00}  {(o.SolvedAtSeconds is { } t ? t.ToString("0.00", CultureInfo.InvariantCulture) : "–"),7}");
    }

    /// <summary>Solve count and medians, with unsolved seeds as +∞ (a seed solves when its final evaluation reaches the threshold).</summary>
    internal static (int Solved, double MedianSteps, double MedianWallSeconds, double MedianSolveSeconds) Summarize(
        IReadOnlyList<RunResult> results, double threshold)
    {
        var steps = new List<double>();
        var wall = new List<double>();
        var solve = new List<double>();
        int solved = 0;
        foreach (var r in results)
        {
            bool ok = r.Outcome.FinalEvaluation is { } final && final.Mean >= threshold && r.Outcome.SolvedAtStep is not null;
            if (ok)
                solved++;
            steps.Add(ok ? r.Outcome.SolvedAtStep!.Value : double.PositiveInfinity);
            wall.Add(ok ? r.Outcome.Elapsed.TotalSeconds : double.PositiveInfinity);
            solve.Add(ok ? r.Outcome.SolvedAtSeconds ?? double.PositiveInfinity : double.PositiveInfinity);
        }
        return (solved, Median(steps), Median(wall), Median(solve));
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count); NaN for none.</summary>
    internal static double Median(List<double> values)
    {
        if (values.Count == 0)
            return double.NaN;
        values.Sort();
        int mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static string Show(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
