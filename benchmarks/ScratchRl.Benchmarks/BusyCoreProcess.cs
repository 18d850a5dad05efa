using System.Diagnostics;
using System.Globalization;

namespace ScratchRl.Benchmarks;

/// <summary>
/// Another process that keeps one core busy while it lives, as a second job on the machine would: a shell loop of
/// integer arithmetic (<c>/bin/sh</c> on Linux and macOS, PowerShell on Windows) that makes no system call but one
/// every few milliseconds, started by <see cref="Start()"/> and killed by <see cref="Dispose"/>. That one call asks
/// whether its owner (the process that started it) still lives, and the loop ends when it does not, so a benchmark
/// process that crashes before its cleanup leaves no spinner behind.
/// </summary>
public sealed class BusyCoreProcess : IDisposable
{
    // dash: about 10 ms of arithmetic between two checks of the owner, so the check costs nothing measurable.
    private const string ShellLoop = "while kill -0 \"$0\" 2>/dev/null; do i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done; done";
    private const string PowerShellLoop = "while (Get-Process -Id {0} -ErrorAction SilentlyContinue) {{ for ($i = 0; $i -lt 100000; $i++) {{ }} }}";

    private readonly Process _process;

    private BusyCoreProcess(Process process) => _process = process;

    /// <summary>The spinning process's id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the spinner has ended (killed, or its owner gone).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts a spinner owned by this process.</summary>
    public static BusyCoreProcess Start() => Start(Environment.ProcessId);

    /// <summary>Starts a spinner that ends by itself once process <paramref name="ownerId"/> no longer runs.</summary>
    /// <exception cref="InvalidOperationException">The shell could not be started.</exception>
    public static BusyCoreProcess Start(int ownerId)
    {
        string owner = ownerId.ToString(CultureInfo.InvariantCulture);
        ProcessStartInfo start = OperatingSystem.IsWindows()
            ? new("powershell", ["-NoProfile", "-NonInteractive", "-Command", string.Format(CultureInfo.InvariantCulture, PowerShellLoop, owner)])
            : new("/bin/sh", ["-c", ShellLoop, owner]);
        start.UseShellExecute = false;
        start.CreateNoWindow = true;
        Process process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start '{start.FileName}' to keep a core busy.");
        return new BusyCoreProcess(process);
    }

    /// <summary>Kills the spinner (if it still runs) and waits until it is gone.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
