using System.Runtime.InteropServices;

namespace ScratchRl.Cli;

/// <summary>
/// Turns the signals that ask a process to stop into one cancellation, so that every way of stopping a run saves it
/// the same way: SIGINT (Ctrl-C), SIGTERM (what <c>kill</c>, <c>docker stop</c>, systemd and Slurm send) and SIGQUIT
/// (Ctrl-\). The first signal cancels <see cref="Token"/> and keeps the process alive so the command can write its
/// files; a second one gets the default action and ends the process at once. The command then exits with
/// <see cref="ExitCode"/>: 128 + the signal's number, the shell's convention (130 for SIGINT, 143 for SIGTERM,
/// 131 for SIGQUIT), so a script or scheduler sees which signal stopped it, while the files are saved alike.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    /// <summary>Exit code of a run stopped by Ctrl-C (128 + SIGINT); its files are written.</summary>
    public const int Interrupted = 128 + 2;

    /// <summary>Exit code of a run stopped by SIGTERM (128 + 15); its files are written.</summary>
    public const int Terminated = 128 + 15;

    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;
    private int _exitCode = Interrupted;

    /// <summary>Starts listening; <paramref name="outer"/> (the command's own token) also stops.</summary>
    public StopSignals(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first stop signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>128 + the number of the signal that stopped the command (130 when it was stopped otherwise).</summary>
    public int ExitCode => _exitCode;

    private void OnSignal(PosixSignalContext context)
    {
        // A second signal: let the runtime's default action end the process.
        if (_stop.IsCancellationRequested)
            return;
        context.Cancel = true;
        _exitCode = 128 + context.Signal switch
        {
            PosixSignal.SIGTERM => 15,
            PosixSignal.SIGQUIT => 3,
            _ => 2,
        };
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _stop.Dispose();
    }
}
