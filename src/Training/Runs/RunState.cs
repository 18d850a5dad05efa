using Training.Config;
using Training.Evaluation;
using Training.Reporting;

namespace Training.Runs;

/// <summary>
/// What every trainer's state holds beside its own networks and buffers: the config, the solve rule, the metrics, the
/// labels and the counters, saved in its checkpoint as one <see cref="RunCounters"/>. Each algorithm's state record
/// (DQN's, PPO's) derives from it, so the counters and the outcome of a Train call are written once.
/// </summary>
public abstract record RunState
{
    /// <summary>The run's hyperparameters.</summary>
    public required TrainConfig Config { get; init; }

    /// <summary>Best weights, solved step, confirmation.</summary>
    public required SolveTracker Tracker { get; init; }

    /// <summary>Every episode and evaluation so far.</summary>
    public MetricsLog Metrics { get; set; } = new();

    /// <summary>Free-form labels (such as the preset).</summary>
    public IDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Environment steps done.</summary>
    public long Step { get; set; }

    /// <summary>Gradient steps done.</summary>
    public long Updates { get; set; }

    /// <summary>Episodes finished.</summary>
    public int Episodes { get; set; }

    /// <summary>True once training ran to its end and the final evaluation is done.</summary>
    public bool Finished { get; set; }

    /// <summary>Training wall time of the earlier parts of a resumed run.</summary>
    public TimeSpan ElapsedBefore { get; set; }

    /// <summary>The step this process's part of the run started from (0 for a new run).</summary>
    public long ResumedFromStep { get; set; }

    /// <summary>The counters as a checkpoint saves them; <paramref name="elapsed"/> is the training wall time so far.</summary>
    public RunCounters Counters(TimeSpan elapsed) => new(Step, Updates, Episodes, Finished, elapsed.TotalSeconds, Tracker.GetState());

    /// <summary>Sets the counters a checkpoint saved; the run resumes from their step.</summary>
    public void Restore(RunCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        (Step, Updates, Episodes, Finished) = (counters.Step, counters.Updates, counters.Episodes, counters.Finished);
        (ElapsedBefore, ResumedFromStep) = (TimeSpan.FromSeconds(counters.ElapsedSeconds), counters.Step);
        Tracker.SetState(counters.Tracker);
    }

    /// <summary>How a Train call ended: adds its <paramref name="time"/> to the run's wall time and reports the counters.</summary>
    public TrainingOutcome Outcome(bool finished, EvaluationResult? final, TimeBreakdown time)
    {
        ArgumentNullException.ThrowIfNull(time);
        ElapsedBefore += time.Total;
        return new TrainingOutcome
        {
            Finished = finished,
            Steps = Step,
            Episodes = Episodes,
            Updates = Updates,
            SolvedAtStep = Tracker.SolvedAtStep,
            SolvedAtSeconds = Tracker.SolvedAtSeconds,
            BestEvaluation = Tracker.Best,
            FinalEvaluation = final,
            Elapsed = ElapsedBefore,
            ResumedFromStep = ResumedFromStep,
            Time = time,
        };
    }
}

/// <summary>The counters every checkpoint holds (JSON, snake_case).</summary>
public sealed record RunCounters(long Step, long Updates, int Episodes, bool Finished, double ElapsedSeconds, SolveTrackerState Tracker);
