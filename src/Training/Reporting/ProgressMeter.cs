using System.Diagnostics;

namespace Training.Reporting;

/// <summary>
/// Turns a training loop's counters into <see cref="TrainingProgress"/> snapshots for a live display: at most one every
/// 0.1 s (and after each evaluation), with the mean loss and the rates since the previous snapshot, and the mean return
/// of the last 20 episodes. Shared by every trainer, so every algorithm's display reads the same.
/// </summary>
public sealed class ProgressMeter
{
    private const double IntervalSeconds = 0.1;

    private readonly IProgress<TrainingProgress>? _sink;
    private readonly MovingAverage _recentReturns = new(20);
    private readonly RateMeter _steps = new(), _updates = new();
    private readonly Stopwatch _clock = new();
    private double _lossSum;
    private long _lossCount;
    private double? _lastLoss;
    private long _firstStep, _firstUpdate;
    private double _lastReportSeconds;

    /// <param name="sink">Where snapshots go; null: nowhere (the meter then costs almost nothing).</param>
    public ProgressMeter(IProgress<TrainingProgress>? sink) => _sink = sink;

    /// <summary>
    /// Starts the clock at the current counters (at the start of each Train call); the recent-return average starts from
    /// the last episodes of <paramref name="metrics"/>, so a resumed run's display goes on where it stopped.
    /// </summary>
    public void Start(long step, long updates, MetricsLog metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _recentReturns.Clear();
        var episodes = metrics.Episodes;
        for (int i = Math.Max(0, episodes.Count - _recentReturns.Window); i < episodes.Count; i++)
            _recentReturns.Add(episodes[i].Return);
        (_firstStep, _firstUpdate, _lastReportSeconds) = (step, updates, 0);
        _clock.Restart();
        _steps.Rate(step, 0);
        _updates.Rate(updates, 0);
    }

    /// <summary>The return of an episode that just ended.</summary>
    public void EpisodeEnded(double episodeReturn) => _recentReturns.Add(episodeReturn);

    /// <summary>The loss of a gradient step.</summary>
    public void Loss(double loss)
    {
        _lossSum += loss;
        _lossCount++;
    }

    /// <summary>Sends a snapshot when one is due: after an evaluation, or 0.1 s after the previous one.</summary>
    public void Tick(in TrainingCounters counters, bool evaluated)
    {
        if (_sink is null || (!evaluated && (counters.Step & 255) != 0))
            return;
        double seconds = _clock.Elapsed.TotalSeconds;
        if (evaluated || seconds - _lastReportSeconds >= IntervalSeconds)
            Send(counters, _steps.Rate(counters.Step, seconds), _updates.Rate(counters.Updates, seconds));
    }

    /// <summary>The last snapshot of a Train call: its rates are those of the whole call.</summary>
    public void Finish(in TrainingCounters counters)
    {
        if (_sink is null)
            return;
        double seconds = _clock.Elapsed.TotalSeconds;
        Send(counters, seconds > 0 ? (counters.Step - _firstStep) / seconds : 0, seconds > 0 ? (counters.Updates - _firstUpdate) / seconds : 0);
    }

    private void Send(in TrainingCounters c, double stepsPerSecond, double updatesPerSecond)
    {
        double? loss = _lossCount > 0 ? _lossSum / _lossCount : _lastLoss;
        _sink!.Report(new TrainingProgress
        {
            Step = c.Step,
            TotalSteps = c.TotalSteps,
            Episodes = c.Episodes,
            RecentReturn = _recentReturns.Count > 0 ? _recentReturns.Value : null,
            RecentWindow = _recentReturns.Window,
            Epsilon = c.Epsilon,
            Loss = loss,
            Updates = c.Updates,
            LastEvaluation = c.LastEvaluation,
            SolvedAtStep = c.SolvedAtStep,
            EnvStepsPerSecond = stepsPerSecond,
            UpdatesPerSecond = updatesPerSecond,
            Elapsed = c.Elapsed,
        });
        (_lastLoss, _lossSum, _lossCount, _lastReportSeconds) = (loss, 0, 0, _clock.Elapsed.TotalSeconds);
    }
}

/// <summary>Where a training loop stands, for <see cref="ProgressMeter"/>.</summary>
public readonly record struct TrainingCounters(
    long Step,
    long TotalSteps,
    int Episodes,
    long Updates,
    double? Epsilon,
    EvaluationRecord? LastEvaluation,
    long? SolvedAtStep,
    TimeSpan Elapsed);
