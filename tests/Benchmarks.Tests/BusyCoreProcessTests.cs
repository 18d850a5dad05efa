using System.Diagnostics;
using ScratchRl.Benchmarks;

namespace Benchmarks.Tests;

/// <summary>
/// The spinner of the contention benchmarks: a separate process that burns CPU while it lives, is gone after
/// Dispose, and ends by itself when its owner does (so a crashed benchmark leaves nothing spinning). The waits poll
/// with a generous limit; they bound how long a broken spinner can hang the test, they time nothing.
/// </summary>
public class BusyCoreProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public void SpinsInAnotherProcessUntilDisposed()
    {
        int id;
        using (var busy = BusyCoreProcess.Start())
        {
            id = busy.Id;
            Assert.That(id, Is.Not.EqualTo(Environment.ProcessId));
            using Process spinner = Process.GetProcessById(id);
            // it computes: its CPU time grows (50 ms of it, however loaded the machine is)
            Assert.That(WaitUntil(() => { spinner.Refresh(); return spinner.TotalProcessorTime > TimeSpan.FromMilliseconds(50); }),
                "the spinner used no CPU");
            Assert.That(busy.HasExited, Is.False, "the spinner stopped while its owner runs");
        }
        Assert.That(IsRunning(id), Is.False, $"process {id} still runs after Dispose");
    }

    [Test]
    public void EndsByItselfWhenItsOwnerIsGone()
    {
        // an owner that has already exited
        using Process owner = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd" : "/bin/sh", OperatingSystem.IsWindows() ? "/c exit 0" : "-c true") { UseShellExecute = false })!;
        owner.WaitForExit();

        using var busy = BusyCoreProcess.Start(owner.Id);
        Assert.That(WaitUntil(() => busy.HasExited), Is.True, $"the spinner of the ended process {owner.Id} still runs");
    }

    private static bool WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience)
                return false;
            Thread.Sleep(20);
        }
        return true;
    }

    private static bool IsRunning(int id)
    {
        try
        {
            using Process process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
