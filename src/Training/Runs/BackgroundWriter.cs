namespace Training.Runs;

/// <summary>
/// Writes checkpoints on a thread-pool thread, one at a time, so that training goes on while a file is serialised,
/// written and flushed to disk (about a millisecond of CPU and a wait on the disk that another job's writes can
/// stretch to tens). The trainer only pays for the capture (<see cref="CheckpointFile.Capture{TScalars}"/>: copies of
/// its state). A new write waits for the one in flight, so at most one capture is held and files land in order. Every
/// file is still written atomically: a run killed during a write keeps the previous checkpoint whole, and loses at most
/// the steps since the checkpoint before the one being written.
/// </summary>
public sealed class BackgroundWriter
{
    private Task _inFlight = Task.CompletedTask;

    /// <summary>
    /// Starts writing <paramref name="checkpoint"/> to <paramref name="path"/> once the write in flight (if any) is
    /// done. Rethrows that write's failure, if it failed.
    /// </summary>
    public void Write(CheckpointFile checkpoint, string path)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Wait();
        _inFlight = Task.Run(() => checkpoint.Write(path));
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
