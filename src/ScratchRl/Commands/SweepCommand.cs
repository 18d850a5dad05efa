using System.Globalization;
using ScratchRl.Cli;
using Spectre.Console.Cli;
using Training.Config;
using Training.Reporting;
using Training.Runs;

namespace ScratchRl.Commands;

/// <summary>
/// <c>scratchrl sweep</c>: trains one config on several seeds, <c>--parallel</c> of them side by side (one thread
/// each; a run shares nothing with another, so each seed's result is the one training it alone gives), prints a row
/// per seed as it ends, then the solve rate and the medians of <see cref="SweepReport"/>, and writes sweep.json and
/// sweep.html next to the seeds' folders. Ctrl-C or SIGTERM stop every running seed (each saves its folder, resumable
/// with <c>train --resume</c>) and the summary says how many of how many seeds finished. With <c>--collect</c> it
/// trains nothing and builds the same files from run folders made anywhere.
/// </summary>
public sealed class SweepCommand : Command<SweepSettings>
{
    public override int Execute(CommandContext context, SweepSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Collect)
            return Collect(settings);
        if (settings.RunFolders.Length > 0)
            throw new UsageException($"unexpected argument '{settings.RunFolders[0]}' (run folders are read only with --collect).");

        var (preset, config) = settings.BuildConfig();
        config = TrainConfigSettings.Validated(config);
        int seeds = TrainArguments.AtLeastOne("--seeds", settings.Seeds is { } n ? TrainArguments.Int("--seeds", n) : 10);
        ulong firstSeed = settings.FirstSeed is { } f ? TrainArguments.ULong("--first-seed", f) : 1;
        int parallel = TrainArguments.AtLeastOne("--parallel", settings.Parallel is { } p ? TrainArguments.Int("--parallel", p) : Environment.ProcessorCount);
        parallel = Math.Min(parallel, seeds);
        string parent = settings.Out ?? RunFolders.NextFree(Path.Combine("runs", $"sweep-{preset}"));
        var inv = CultureInfo.InvariantCulture;
        var folders = new string[seeds];
        for (int i = 0; i < seeds; i++)
            folders[i] = Path.Combine(parent, (firstSeed + (ulong)i).ToString(inv));
        // Every seed's folder is checked before any training, so a refusal leaves nothing half done.
        foreach (string folder in folders)
            RunFolders.Claim(folder, settings.Overwrite, "train --resume");

        TextWriter rows = settings.Json ? Console.Error : Console.Out;
        rows.WriteLine($"sweep: preset {preset}, {seeds} seeds from {firstSeed}, {parallel} at a time, runs in {parent}");
        rows.WriteLine(RowHeader);
        rows.Flush();
        using var stop = new StopSignals(cancellationToken);
        var results = TrainSeeds(config, preset, folders, firstSeed, parallel, stop.Token, result =>
        {
            lock (rows)
            {
                rows.WriteLine(Row(SweepSeed.Read(result.Folder)));
                rows.Flush();
            }
        });

        var started = results.Where(r => r is not null).Select(r => r!.Folder);
        var report = SweepReport.FromFolders(started, requested: seeds);
        var (jsonPath, htmlPath) = report.Write(parent);
        rows.WriteLine(SummaryLine(report));
        rows.WriteLine($"report  {htmlPath}");
        rows.WriteLine($"json    {jsonPath}");
        rows.Flush();
        if (settings.Json)
            Console.Out.WriteLine(report.ToJson().ToJsonString());
        return report.Finished == seeds ? ScratchRlApp.Success : stop.ExitCode;
    }

    /// <summary>
    /// Trains seed firstSeed + i into folders[i] for every i, on <paramref name="parallel"/> threads that each take
    /// the next seed in order; a cancelled seed still saves its folder. Returns each seed's result (null: never
    /// started). The first failure stops the other seeds and is rethrown.
    /// </summary>
    private static RunResult?[] TrainSeeds(TrainConfig config, string preset, string[] folders, ulong firstSeed, int parallel,
        CancellationToken stop, Action<RunResult> finished)
    {
        var results = new RunResult?[folders.Length];
        int next = -1;
        Exception? failure = null;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        void Work()
        {
            int i;
            while (!failed.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < folders.Length)
            {
                try
                {
                    var run = TrainingRun.Create(Trainers.Instance, config with { Seed = firstSeed + (ulong)i }, folders[i], preset);
                    var result = run.Run(null, failed.Token);
                    results[i] = result;
                    finished(result);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    failed.Cancel();
                }
            }
        }
        var threads = new Thread[parallel];
        for (int t = 0; t < parallel; t++)
        {
            threads[t] = new Thread(Work) { Name = $"sweep worker {t}", IsBackground = true };
            threads[t].Start();
        }
        foreach (var thread in threads)
            thread.Join();
        if (failure is not null)
            throw failure;
        return results;
    }

    private int Collect(SweepSettings settings)
    {
        var given = settings.GivenFlags();
        if (settings.Seeds is not null)
            given.Add("--seeds");
        if (settings.FirstSeed is not null)
            given.Add("--first-seed");
        if (settings.Parallel is not null)
            given.Add("--parallel");
        if (settings.Overwrite)
            given.Add("--overwrite");
        if (given.Count > 0)
            throw new UsageException($"--collect reads finished runs and trains nothing; drop {string.Join(", ", given)}.");
        if (settings.RunFolders.Length == 0)
            throw new UsageException("--collect needs the run folders to read, e.g. sweep --collect runs/run-1 runs/run-2.");
        string output = settings.Out ?? CommonParent(settings.RunFolders)
            ?? throw new UsageException("the run folders have no common parent folder; say where to write sweep.json and sweep.html with --out.");
        SweepReport report;
        try
        {
            report = SweepReport.FromFolders(settings.RunFolders);
        }
        catch (InvalidDataException e)
        {
            throw new IOException($"cannot collect: {e.Message}", e);
        }
        RunFolders.Create(output);
        var (jsonPath, htmlPath) = report.Write(output);
        TextWriter rows = settings.Json ? Console.Error : Console.Out;
        rows.WriteLine($"sweep: {report.Seeds.Count} run folders collected");
        rows.WriteLine(RowHeader);
        foreach (var seed in report.Seeds)
            rows.WriteLine(Row(seed));
        rows.WriteLine(SummaryLine(report));
        rows.WriteLine($"report  {htmlPath}");
        rows.WriteLine($"json    {jsonPath}");
        rows.Flush();
        if (settings.Json)
            Console.Out.WriteLine(report.ToJson().ToJsonString());
        return ScratchRlApp.Success;
    }

    /// <summary>The folder that holds every one of <paramref name="folders"/> directly, or null when they differ.</summary>
    private static string? CommonParent(string[] folders)
    {
        var parents = folders.Select(f => Path.GetDirectoryName(Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar))).Distinct().ToList();
        return parents.Count == 1 ? parents[0] : null;
    }

    private const string RowHeader = "  seed  solved  solved at step  final evaluation  wall s  solve s";

    private static string Row(SweepSeed s)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!s.Finished)
            return string.Create(inv, $"  {s.Seed,4}  stopped at step {s.EnvSteps:N0} (saved; train --resume {s.Folder} continues it)");
        return string.Create(inv,
            $"  {s.Seed,4}  {(s.Solved ? "yes" : "no"),6}  {(s.SolvedAtStep is { } at ? at.ToString("N0", inv) : "–"),14}  {s.FinalMean ?? double.NaN,10:0.0} ± {s.FinalStd ?? double.NaN,4:0.0}  {s.WallSeconds,6:0.00}  {(s.SolvedAtSeconds is { } t ? t.ToString("0.00", inv) : "–"),7}");
    }

    /// <summary>The closing line: how many seeds finished (when not all), the solve count and the medians.</summary>
    internal static string SummaryLine(SweepReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        int stoppedMidRun = report.Seeds.Count - report.Finished;
        int notStarted = report.Requested - report.Seeds.Count;
        string stopped = report.Finished == report.Requested ? ""
            : string.Create(inv, $"stopped: {report.Finished} of {report.Requested} seeds finished ({stoppedMidRun} stopped mid-run and saved, {notStarted} not started) · ");
        return stopped + string.Create(inv,
            $"solved {report.Solved}/{report.Finished} finished · median env steps to solve {Show(report.MedianStepsToSolve, "N0")} · median wall time {Show(report.MedianWallSeconds, "0.00")} s (to the solving evaluation {Show(report.MedianSolveSeconds, "0.00")} s)");
    }

    private static string Show(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";
}
