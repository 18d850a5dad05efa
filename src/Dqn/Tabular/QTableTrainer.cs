using System.Diagnostics;
using CartPole;
using Training.Config;
using Training.Evaluation;
using Training.Policies;
using Training.Reporting;
using Training.Schedules;
using TinyTorch;
using Training.Runs;

namespace Dqn.Tabular;

/// <summary>
/// Tabular Q-learning (Sutton &amp; Barto §6.5) over any <see cref="IEnvironment"/>, with the same loop shape and the
/// same metrics as DQN: ε-greedy on a linear ε schedule, one table update per environment step, a <c>kind=episode</c>
/// row per episode (its loss is the mean squared TD error), a greedy evaluation every eval_frequency steps, an early
/// stop once an evaluation reaches solve_threshold (if stop_when_solved), and a final evaluation. The training
/// environment is reset with the config's seed once, then continues its own stream; exploration draws come from
/// <c>new Rng(seed)</c>: a seeded run is deterministic.
/// </summary>
public sealed class QTableTrainer
{
    private const int ProgressInterval = 1_000;

    private readonly IEnvironment _environment;
    private readonly Evaluator _evaluator;

    /// <param name="config">A valid config (algorithm qtable; <see cref="TrainConfig.Tabular"/> must fit the environment).</param>
    /// <param name="makeEnvironment">Called twice: one environment for training, one for evaluation.</param>
    public QTableTrainer(TrainConfig config, Func<IEnvironment> makeEnvironment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        if (config.Algorithm != Algorithm.QTable)
            throw new ConfigException($"algorithm must be qtable for the tabular trainer, got {config.Algorithm}.");
        Config = config.Validate();
        _environment = makeEnvironment();
        _evaluator = new Evaluator(makeEnvironment(), config.EvalSeed);
        var t = config.Tabular;
        if (t.Bins.Count != _environment.ObservationSize)
            throw new ConfigException(
                $"tabular.bins has {t.Bins.Count} entries but the environment's observations have {_environment.ObservationSize} components.");
        Discretizer = new Discretizer(t.Bins, t.Low, t.High);
        Table = new QTable(Discretizer.StateCount, _environment.ActionCount);
        Policy = new TabularPolicy(Discretizer, Table);
    }

    public TrainConfig Config { get; }

    public Discretizer Discretizer { get; }

    public QTable Table { get; }

    /// <summary>The greedy policy of <see cref="Table"/> (what evaluation runs).</summary>
    public TabularPolicy Policy { get; }

    /// <summary>Every episode and evaluation so far.</summary>
    public MetricsLog Metrics { get; } = new();

    /// <summary>Trains for total_timesteps steps (or until solved), then evaluates final_eval_episodes episodes.</summary>
    public TrainingSummary Train(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var config = Config;
        var rng = new Rng(config.Seed);
        var epsilonSchedule = LinearSchedule.Exploration(config.StartE, config.EndE, config.ExplorationFraction, config.TotalTimesteps);
        double alpha = config.Tabular.Alpha, gamma = config.Gamma;
        var clock = Stopwatch.StartNew();
        var recent = new MovingAverage(20);
        var stepRate = new RateMeter();

        var observation = new float[_environment.ObservationSize];
        _environment.Reset(observation, config.Seed);
        int state = Discretizer.Index(observation);

        int episodes = 0, episodeLength = 0;
        double episodeReturn = 0, episodeSquaredTd = 0, epsilon = config.StartE, intervalSquaredTd = 0;
        long step = 0, solvedAt = -1, lastProgressStep = 0;
        EvaluationRecord? lastEvaluation = null;

        while (step < config.TotalTimesteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            epsilon = epsilonSchedule.ValueAt(step);
            if (!EpsilonGreedy.TryExplore(epsilon, _environment.ActionCount, rng, out int action))
                action = Table.Greedy(state);

            var result = _environment.Step(action, observation);
            int nextState = Discretizer.Index(observation);
            float tdError = Table.Update(state, action, result.Reward, nextState, result.Terminated, alpha, gamma);
            step++;
            episodeReturn += result.Reward;
            episodeLength++;
            episodeSquaredTd += tdError * (double)tdError;
            intervalSquaredTd += tdError * (double)tdError;

            if (result.Done)
            {
                episodes++;
                Metrics.AddEpisode(new EpisodeRecord(step, episodes, episodeReturn, episodeLength, epsilon,
                    episodeSquaredTd / episodeLength, clock.Elapsed.TotalSeconds));
                recent.Add(episodeReturn);
                episodeReturn = episodeSquaredTd = 0;
                episodeLength = 0;
                _environment.Reset(observation);
                state = Discretizer.Index(observation);
            }
            else
            {
                state = nextState;
            }

            bool evaluate = step % config.EvalFrequency == 0;
            if (evaluate)
            {
                var evaluation = _evaluator.Evaluate(Policy, config.EvalEpisodes);
                lastEvaluation = EvaluationRecord.From(step, episodes, evaluation, final: false, clock.Elapsed.TotalSeconds);
                Metrics.AddEvaluation(lastEvaluation.Value);
                if (solvedAt < 0 && evaluation.Mean >= config.SolveThreshold)
                    solvedAt = step;
            }
            if (progress is not null && (evaluate || step % ProgressInterval == 0))
            {
                double rate = stepRate.Rate(step, clock.Elapsed.TotalSeconds);
                progress.Report(Snapshot(step, episodes, recent, epsilon, intervalSquaredTd / (step - lastProgressStep),
                    lastEvaluation, solvedAt, rate, clock.Elapsed));
                intervalSquaredTd = 0;
                lastProgressStep = step;
            }
            if (solvedAt >= 0 && config.StopWhenSolved)
                break;
        }

        var final = _evaluator.Evaluate(Policy, config.FinalEvalEpisodes);
        Metrics.AddEvaluation(EvaluationRecord.From(step, episodes, final, final: true, clock.Elapsed.TotalSeconds));
        progress?.Report(Snapshot(step, episodes, recent, epsilon, null, lastEvaluation, solvedAt, 0, clock.Elapsed));
        return new TrainingSummary(step, episodes, step, solvedAt >= 0 ? solvedAt : null, final, clock.Elapsed);
    }

    private TrainingProgress Snapshot(long step, int episodes, MovingAverage recent, double epsilon, double? loss,
        EvaluationRecord? lastEvaluation, long solvedAt, double stepsPerSecond, TimeSpan elapsed) => new()
    {
        Step = step,
        TotalSteps = Config.TotalTimesteps,
        Episodes = episodes,
        RecentReturn = recent.Count > 0 ? recent.Value : null,
        RecentWindow = recent.Window,
        Epsilon = epsilon,
        Loss = loss,
        Updates = step,
        LastEvaluation = lastEvaluation,
        SolvedAtStep = solvedAt >= 0 ? solvedAt : null,
        EnvStepsPerSecond = stepsPerSecond,
        UpdatesPerSecond = stepsPerSecond,
        Elapsed = elapsed,
    };
}
