using System.Diagnostics;
using System.Text.Json;
using ScratchRl.Cli;

namespace ScratchRl.Tests;

/// <summary>
/// SIGTERM (what kill, docker stop, systemd and Slurm send) saves a run exactly as Ctrl-C does: the built CLI is
/// started as a process, stopped once training has progressed, and its folder must resume; Ctrl-C stops a sweep and
/// it says how many of its seeds finished.
/// </summary>
[Platform(Exclude = "Win", Reason = "sends a POSIX signal with kill")]
public class StopSignalTests : TempFolderTest
{
    [Test]
    public void SigtermSavesTheRunAndTrainResumeContinuesIt()
    {
        string[] args =
        [
            "train", "--total-steps", "4000", "--learning-starts", "100", "--hidden", "16", "--eval-frequency", "500",
            "--eval-episodes", "2", "--final-eval-episodes", "3", "--buffer-size", "1000", "--batch-size", "16", "--no-stop",
            "--out", Folder,
        ];
        // Redirected, train prints a progress line at each evaluation: the first one means training has progressed.
        var (process, rest, stderr) = RunUntil(args, line => line.StartsWith("step ", StringComparison.Ordinal), "-TERM");
        using var _ = process;

        Assert.That(process.ExitCode, Is.EqualTo(StopSignals.Terminated), $"{rest}\n{stderr}");
        Assert.That(rest, Does.Contain($"resume  scratchrl train --resume {Folder}"));
        foreach (string file in new[] { "model.safetensors", "checkpoint.safetensors", "summary.json" })
            Assert.That(File.Exists(Path.Combine(Folder, file)), Is.True, file);
        var stopped = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "summary.json"))).RootElement;
        Assert.That(stopped.GetProperty("finished").GetBoolean(), Is.False);
        long stoppedAt = stopped.GetProperty("env_steps").GetInt64();
        Assert.That(stoppedAt, Is.InRange(500, 3_999));

        var (code, stdout, resumeErr) = CliRun.Run(null, ["train", "--resume", Folder, "--json", "--quiet"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), resumeErr);
        var resumed = JsonDocument.Parse(TrainCliFixtures.LastLine(stdout)).RootElement;
        Assert.That(resumed.GetProperty("resumed").GetBoolean(), Is.True);
        Assert.That(resumed.GetProperty("finished").GetBoolean(), Is.True);
        Assert.That(resumed.GetProperty("env_steps").GetInt64(), Is.EqualTo(4000));
    }

    [Test]
    public void AfterKill9TheBestModelLoadsAndResumeContinuesFromTheLastCheckpoint()
    {
        string[] args =
        [
            "train", "--total-steps", "4000", "--learning-starts", "100", "--hidden", "16", "--eval-frequency", "500",
            "--eval-episodes", "2", "--final-eval-episodes", "3", "--heldout-episodes", "3", "--buffer-size", "1000",
            "--batch-size", "16", "--no-stop", "--out", Folder,
        ];
        // A progress line follows each evaluation, after the model and the checkpoint of that step are captured; they are
        // written in the background, so the kill waits until the first of each is on disk.
        string checkpoint = Path.Combine(Folder, "checkpoint.safetensors"), model = Path.Combine(Folder, "model.safetensors");
        var (process, _, stderr) = RunUntil(args,
            line => line.StartsWith("step ", StringComparison.Ordinal)
                && SpinWait.SpinUntil(() => File.Exists(checkpoint) && File.Exists(model), 10_000), "-KILL");
        using var _ = process;

        Assert.That(process.ExitCode, Is.EqualTo(128 + 9), stderr);
        Assert.That(File.Exists(Path.Combine(Folder, "summary.json")), Is.False, "nothing ran after the kill");
        var (evalCode, _, evalErr) = CliRun.Run(null, ["eval", "--model", Path.Combine(Folder, "model.safetensors"), "--episodes", "2"]);
        Assert.That(evalCode, Is.EqualTo(ScratchRlApp.Success), evalErr);

        var (code, stdout, resumeErr) = CliRun.Run(null, ["train", "--resume", Folder, "--json", "--quiet"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), resumeErr);
        var resumed = JsonDocument.Parse(TrainCliFixtures.LastLine(stdout)).RootElement;
        long from = resumed.GetProperty("resumed_from_step").GetInt64();
        Assert.That(from % 500, Is.Zero, "checkpoints are written at evaluations");
        Assert.That(from, Is.InRange(500, 3_500));
        Assert.That(resumed.GetProperty("finished").GetBoolean(), Is.True);
        Assert.That(resumed.GetProperty("env_steps").GetInt64(), Is.EqualTo(4000));
    }

    [Test]
    public void CtrlCDuringASweepSaysHowManySeedsFinished()
    {
        string[] args =
        [
            "sweep", "--seeds", "3", "--parallel", "1", "--total-steps", "40000", "--learning-starts", "100", "--hidden", "16",
            "--train-frequency", "1", "--eval-frequency", "1000", "--eval-episodes", "2", "--final-eval-episodes", "3",
            "--buffer-size", "1000", "--batch-size", "16", "--no-stop", "--out", Folder,
        ];
        // Each seed trains for a few tenths of a second, so the signal arrives while seed 2 runs.
        // After the first seed's row, once seed 2 has started (its config.json is written first): seed 3 has not.
        string started = Path.Combine(Folder, "2", "config.json");
        var (process, rest, stderr) = RunUntil(args,
            line => line.StartsWith("     1 ", StringComparison.Ordinal) && SpinWait.SpinUntil(() => File.Exists(started), 10_000), "-INT");
        using var _ = process;
        Assert.That(process.ExitCode, Is.EqualTo(StopSignals.Interrupted), $"{rest}\n{stderr}");
        Assert.That(rest, Does.Contain("     2  stopped at step").And.Contain("stopped: 1 of 3 seeds finished (1 stopped mid-run and saved, 1 not started)"));
        Assert.That(File.Exists(Path.Combine(Folder, "2", "checkpoint.safetensors")), Is.True, "the interrupted seed can resume");
        Assert.That(File.Exists(Path.Combine(Folder, "sweep.html")), Is.True);
    }

    /// <summary>
    /// Starts the built CLI with <paramref name="args"/>, reads stdout until a line matches <paramref name="ready"/>,
    /// sends <paramref name="signal"/> with kill and waits for the process to end. Returns it (exited), the rest of
    /// stdout and stderr.
    /// </summary>
    private static (Process Process, string Output, string Stderr) RunUntil(string[] args, Func<string, bool> ready, string signal)
    {
        string cli = Path.Combine(TestContext.CurrentContext.TestDirectory, "scratchrl.dll");
        Assert.That(File.Exists(cli), Is.True, cli);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [cli, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        process.BeginErrorReadLine();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !ready(line))
        {
        }
        Assert.That(line, Is.Not.Null, $"the awaited line never came; stderr: {stderr}");
        using (var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        string rest = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(30_000), Is.True, "the process ends after the signal");
        process.WaitForExit();
        return (process, rest, stderr.ToString());
    }
}
