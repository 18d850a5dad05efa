using System.Diagnostics;

namespace Training.Runs;

/// <summary>
/// Wall time per phase of a training loop, kept out of the algorithm's way: the loop calls <see cref="Lap"/> after
/// each phase, which charges the time since the previous lap to that phase (Stopwatch timestamps, no allocation).
/// </summary>
public sealed class PhaseTimer
{
    private readonly long[] _ticks = new long[Enum.GetValues<Phase>().Length];
    private long _start, _last;

    /// <summary>Forgets every phase's time and starts the clock.</summary>
    public void Restart()
    {
        Array.Clear(_ticks);
        _start = _last = Stopwatch.GetTimestamp();
    }

    /// <summary>Charges the time since the previous lap (or <see cref="Restart"/>) to <paramref name="phase"/>.</summary>
    public void Lap(Phase phase)
    {
        long now = Stopwatch.GetTimestamp();
        _ticks[(int)phase] += now - _last;
        _last = now;
    }

    /// <summary>Time since <see cref="Restart"/>.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    /// <summary>The time of each phase so far, and the total since <see cref="Restart"/>.</summary>
    public TimeBreakdown Breakdown() => new()
    {
        Acting = Of(Phase.Acting),
        Environment = Of(Phase.Environment),
        Storing = Of(Phase.Storing),
        Updates = Of(Phase.Updates),
        TargetUpdates = Of(Phase.TargetUpdates),
        Evaluation = Of(Phase.Evaluation),
        Checkpoints = Of(Phase.Checkpoints),
        Total = Elapsed,
    };

    private TimeSpan Of(Phase phase) => Stopwatch.GetElapsedTime(0, _ticks[(int)phase]);
}

/// <summary>The parts of a training loop that <see cref="PhaseTimer"/> tells apart.</summary>
public enum Phase
{
    /// <summary>Choosing actions.</summary>
    Acting,

    /// <summary>Environment steps and resets.</summary>
    Environment,

    /// <summary>Writing transitions (replay memory, rollout buffer).</summary>
    Storing,

    /// <summary>Gradient steps.</summary>
    Updates,

    /// <summary>Target network updates.</summary>
    TargetUpdates,

    /// <summary>Greedy evaluations.</summary>
    Evaluation,

    /// <summary>Writing checkpoints and the best model.</summary>
    Checkpoints,

    /// <summary>Everything else: bookkeeping, progress reports.</summary>
    Other,
}
