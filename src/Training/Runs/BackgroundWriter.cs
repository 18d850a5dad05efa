namespace Training.Runs;

/// <summary>
/// Writes a file on a thread-pool thread, one write at a time, so that training goes on while the file is serialised,
/// written and flushed to disk (about a millisecond of CPU and a wait on the disk that another job's writes can
/// stretch to tens). The trainer only pays for the capture, a copy of what the file will hold
/// (<see cref="CheckpointFile.Capture{TScalars}"/>, <see cref="ITrainer.CaptureModel"/>). A new write waits for the one
/// in flight, so at most one capture is held and the files land in order. Every file is still written atomically: a
/// run killed during a write keeps the previous file whole (for a checkpoint: it loses at most the steps since the
/// checkpoint before the one being written).
/// </summary>
public sealed class BackgroundWriter
{
    private Task _inFlight = Task.CompletedTask;

    /// <summary>
    /// Starts <paramref name="write"/>(<paramref name="path"/>) (a captured file's atomic Write) on a thread-pool thread
    /// once the write in flight (if any) is done. Rethrows that write's failure, if it failed.
    /// </summary>
    public void Write(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        Wait();
        _inFlight = Task.Run(() => write(path));
    }

    /// <summary>Waits until the write in flight (if any) is on disk; rethrows its failure.</summary>
    public void Wait()
    {
        var inFlight = _inFlight;
        _inFlight = Task.CompletedTask;
        inFlight.GetAwaiter().GetResult();
    }

    /// <summary>Waits for the write in flight without rethrowing its failure: for when another error is already on its way.</summary>
    public void WaitIgnoringFailure()
    {
        var inFlight = _inFlight;
        _inFlight = Task.CompletedTask;
        Task.WaitAny(inFlight);
    }
}
