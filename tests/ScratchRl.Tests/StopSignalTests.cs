using System.Diagnostics;
using System.Text.Json;
using ScratchRl.Cli;

namespace ScratchRl.Tests;

/// <summary>
/// SIGTERM (what kill, docker stop, systemd and Slurm send) saves a run exactly as Ctrl-C does: the built CLI is
/// started as a process, stopped once training has progressed, and its folder must resume.
/// </summary>
[Platform(Exclude = "Win", Reason = "sends a POSIX signal with kill")]
public class StopSignalTests : TempFolderTest
{
    [Test]
    public void SigtermSavesTheRunAndTrainResumeContinuesIt()
    {
        string cli = Path.Combine(TestContext.CurrentContext.TestDirectory, "scratchrl.dll");
        Assert.That(File.Exists(cli), Is.True, cli);
        string[] args =
        [
            cli, "train", "--total-steps", "4000", "--learning-starts", "100", "--hidden", "16", "--eval-frequency", "500",
            "--eval-episodes", "2", "--final-eval-episodes", "3", "--buffer-size", "1000", "--batch-size", "16", "--no-stop",
            "--out", Folder,
        ];
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        process.BeginErrorReadLine();
        // Redirected, train prints a progress line at each evaluation: the first one means training has progressed.
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("step ", StringComparison.Ordinal))
        {
        }
        Assert.That(line, Is.Not.Null, $"no progress line; stderr: {stderr}");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        string rest = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(30_000), Is.True, "the process ends after SIGTERM");

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
}
