using System.Globalization;
using Training.Config;
using Dqn.Training;
using ScratchRl.Cli;
using Spectre.Console.Cli;
using TinyTorch;
using Training.Runs;

namespace ScratchRl.Commands;

/// <summary>
/// <c>scratchrl train</c>: trains DQN (or tabular Q-learning) on CartPole-v1 from a preset and flag overrides, with a
/// live progress display, and writes the run folder (<see cref="TrainingRun"/>). Ctrl-C, SIGTERM or SIGQUIT stop the
/// run within a step and save everything (a DQN run can then be continued with <c>--resume</c>); the exit code is then
/// 128 + the signal's number (<see cref="StopSignals"/>). A folder that already holds a run is never replaced without
/// <c>--overwrite</c>. With <c>--json</c> the last line of stdout is the run's JSON summary.
/// </summary>
public sealed class TrainCommand : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Threads is { } threads)
            Torch.SetNumThreads(TrainArguments.AtLeastOne("--threads", TrainArguments.Int("--threads", threads)));
        TrainingRun run = settings.Resume is { } folder ? ResumeRun(settings, folder) : CreateRun(settings);
        TextWriter human = settings.Json ? Console.Error : Console.Out;
        bool redirected = settings.Json ? Console.IsErrorRedirected : Console.IsOutputRedirected;
        string title = string.Create(CultureInfo.InvariantCulture,
            $"{AlgorithmNames.Title(run.Config.Algorithm)} on CartPole-v1 · preset {run.Preset} · seed {run.Config.Seed}{(run.Resumed ? " · resumed" : "")} → {run.Folder}");
        var display = TrainProgressDisplay.Create(human, redirected, settings.Quiet, title);

        var probes = UpdateProbes.Attach(settings, run);
        using var stop = new StopSignals(cancellationToken);
        RunResult result = display.Run(progress => run.Run(progress, stop.Token));

        WriteSummary(human, result);
        int probed = probes?.Finish(human, run.Config, stop.Token) ?? ScratchRlApp.Success;
        if (settings.Json)
            Console.Out.WriteLine(result.ToJson().ToJsonString(RunResult.JsonOptions));
        return !result.Outcome.Finished ? stop.ExitCode : probed;
    }

    private static TrainingRun CreateRun(TrainSettings settings)
    {
        var (preset, config) = settings.BuildConfig();
        if (settings.Seed is { } seed)
            config = config with { Seed = TrainArguments.ULong("--seed", seed) };
        config = TrainConfigSettings.Validated(config);
        string folder = settings.Out ?? RunFolders.NextFree(Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{preset}-{config.Seed}")));
        if (folder.Length == 0)
            throw new UsageException("--out needs a folder name.");
        RunFolders.Claim(folder, settings.Overwrite);
        return TrainingRun.Create(Trainers.Instance, config, folder, preset);
    }

    private static TrainingRun ResumeRun(TrainSettings settings, string folder)
    {
        var flags = settings.GivenFlags();
        if (settings.Seed is not null)
            flags.Add("--seed");
        if (settings.Out is not null)
            flags.Add("--out");
        if (settings.Overwrite)
            flags.Add("--overwrite");
        if (flags.Count > 0)
            throw new UsageException($"--resume continues a run with its saved config and folder; drop {string.Join(", ", flags)}.");
        try
        {
            return TrainingRun.Resume(Trainers.Instance, folder);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"cannot resume: {e.Message}", e);
        }
    }

    private static void WriteSummary(TextWriter output, RunResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var o = result.Outcome;
        double threshold = result.Config.SolveThreshold;
        if (o.FinalEvaluation is { } final)
        {
            string verdict = result.Solved ? "Solved" : "Not solved";
            string first = o.SolvedAtStep is { } at
                ? string.Create(inv, $" Confirmed ≥ {threshold:0.##} at step {at:N0} ({o.SolvedAtSeconds:0.00} s).")
                : string.Create(inv, $" No evaluation was confirmed ≥ {threshold:0.##}.");
            output.WriteLine(string.Create(inv,
                $"{verdict}: final evaluation {final.Mean:0.0} ± {final.Std:0.0} (min {final.Min:0}, max {final.Max:0}) over {final.Episodes} episodes.{first}"));
            if (result.HeldOut is { } heldOut)
                output.WriteLine(string.Create(inv,
                    $"Held-out evaluation: {heldOut.Mean:0.0} ± {heldOut.Std:0.0} (min {heldOut.Min:0}) over {heldOut.Episodes} unseen episodes (reset seeds {result.Config.HeldoutSeed:N0} + i)."));
        }
        else
        {
            output.WriteLine(string.Create(inv, $"Stopped at step {o.Steps:N0} of {result.Config.TotalTimesteps:N0}; the run is saved."));
        }
        output.WriteLine(string.Create(inv, $"{o.Steps:N0} env steps, {o.Episodes:N0} episodes, {o.Updates:N0} updates in {o.Elapsed.TotalSeconds:0.00} s."));
        output.WriteLine($"model   {result.ModelPath}");
        output.WriteLine($"report  {result.ReportPath}");
        if (!o.Finished && result.CheckpointPath is not null)
            output.WriteLine($"resume  scratchrl train --resume {result.Folder}");
        output.Flush();
    }
}
