using System.Globalization;
using CartPole;
using Dqn.Training;
using TinyTorch;
using TinyTorch.IO;
using Training.Config;
using Training.Evaluation;
using Training.Policies;
using Training.Reporting;
using Training.Runs;
using Training.Schedules;

namespace Dqn.Tabular;

/// <summary>
/// Tabular Q-learning (Sutton &amp; Barto §6.5) over any <see cref="IEnvironment"/>, in the same loop shape as
/// <see cref="DqnTrainer"/>: ε-greedy on a linear ε schedule, one table update per environment step, a
/// <c>kind=episode</c> row per episode (its loss is the mean squared TD error), a greedy evaluation every
/// eval_frequency steps with the same best-weights and confirmed-solve rule (<see cref="SolveTracker"/>), and a final
/// evaluation. Each training episode resets with a seed from its own stream, so a checkpoint (the table, the random
/// streams, the episode's seed and actions) resumes exactly.
/// </summary>
public sealed class QTableTrainer : ITrainer
{
    /// <summary>The metadata "format" of a tabular checkpoint.</summary>
    public const string CheckpointFormat = "scratchrl-qtable-checkpoint";

    private readonly IEnvironment _environment;
    private readonly Evaluator _evaluator;
    private readonly LinearSchedule _epsilon;
    private readonly QTable _best;
    private readonly Rng _exploration, _episodeSeeds;
    private readonly EpisodeInProgress _episode = new();
    private readonly PhaseTimer _time = new();
    private readonly float[] _observation;
    private int _state;
    private TabularRun _run;

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
        _best = new QTable(Discretizer.StateCount, _environment.ActionCount);
        Policy = new TabularPolicy(Discretizer, Table);
        BestPolicy = new TabularPolicy(Discretizer, _best);
        var root = new Rng(config.Seed);
        (_exploration, _episodeSeeds) = (root.Fork(), root.Fork());
        _run = new TabularRun { Config = Config, Tracker = new SolveTracker([AsTensor(Table)], [AsTensor(_best)], config.SolveThreshold) };
        _epsilon = LinearSchedule.Exploration(config.StartE, config.EndE, config.ExplorationFraction, config.TotalTimesteps);
        _observation = new float[_environment.ObservationSize];
    }

    /// <inheritdoc/>
    public TrainConfig Config { get; }

    /// <summary>How observations become table rows.</summary>
    public Discretizer Discretizer { get; }

    /// <summary>The table being learned.</summary>
    public QTable Table { get; }

    /// <summary>The greedy policy of <see cref="Table"/>.</summary>
    public TabularPolicy Policy { get; }

    /// <summary>The greedy policy of the kept table (what model.safetensors holds).</summary>
    public IPolicy BestPolicy { get; }

    /// <inheritdoc/>
    public MetricsLog Metrics => _run.Metrics;

    /// <inheritdoc/>
    public IDictionary<string, string> Labels => _run.Labels;

    /// <inheritdoc/>
    public long Step => _run.Step;

    /// <summary>Episodes finished.</summary>
    public int Episodes => _run.Episodes;

    /// <inheritdoc/>
    public bool Finished => _run.Finished;

    /// <summary>True: <see cref="CaptureCheckpoint"/> holds the whole state, <see cref="Resume"/> continues from it.</summary>
    public bool CanResume => true;

    /// <inheritdoc/>
    public TrainingOutcome Train(IProgress<TrainingProgress>? progress = null, ITrainingListener? listener = null, CancellationToken cancellationToken = default)
    {
        if (Finished)
            throw new InvalidOperationException($"This run finished at step {Step}; there is nothing left to train.");
        var c = Config;
        double alpha = c.Tabular.Alpha, gamma = c.Gamma;
        long checkpointEvery = c.CheckpointFrequency ?? c.EvalFrequency;
        var meter = new ProgressMeter(progress);
        meter.Start(Step, Step, Metrics);
        _time.Restart();
        if (!_episode.Running)
            StartEpisode();

        while (Step < c.TotalTimesteps)
        {
            if (cancellationToken.IsCancellationRequested)
                return Outcome(finished: false, final: null);

            // 1. Act ε-greedily on the table row of the discretised observation.
            double epsilon = _epsilon.ValueAt(Step);
            if (!EpsilonGreedy.TryExplore(epsilon, _environment.ActionCount, _exploration, out int action))
                action = Table.Greedy(_state);
            _time.Lap(Phase.Acting);

            // 2. Execute a: reward r, next observation s′.
            var result = _environment.Step(action, _observation);
            _run.Step++;
            _episode.Record(action, result.Reward);
            _time.Lap(Phase.Environment);

            // 3. Q(s, a) ← Q(s, a) + α·[r + γ·(1 − terminated)·max_a′ Q(s′, a′) − Q(s, a)]; truncation still bootstraps.
            int next = Discretizer.Index(_observation);
            float tdError = Table.Update(_state, action, result.Reward, next, result.Terminated, alpha, gamma);
            _episode.AddLoss(tdError * (double)tdError);
            _run.Updates++;
            meter.Loss(tdError * (double)tdError);
            _time.Lap(Phase.Updates);

            // 4. s ← s′; or log the finished episode and reset.
            if (result.Done)
                EndEpisode(epsilon, meter);
            else
                _state = next;
            _time.Lap(Phase.Environment);

            // 5. Every eval_frequency steps: evaluate greedily, keep the best table, confirm a solve (and stop).
            bool evaluated = Step % c.EvalFrequency == 0;
            if (evaluated && EvaluateAndConfirm(listener) && c.StopWhenSolved)
                break;
            if (listener is not null && Step % checkpointEvery == 0)
            {
                listener.CheckpointDue(this);
                _time.Lap(Phase.Checkpoints);
            }
            meter.Tick(Counters(epsilon), evaluated);
            _time.Lap(Phase.Other);
        }

        _run.Tracker.KeepLiveIfNoneEvaluated();
        var final = _run.Tracker.Confirmation ?? _evaluator.Evaluate(BestPolicy, c.FinalEvalEpisodes);
        _time.Lap(Phase.Evaluation);
        Metrics.AddEvaluation(EvaluationRecord.From(Step, Episodes, final, final: true, Elapsed.TotalSeconds));
        _run.Finished = true;
        meter.Finish(Counters(_epsilon.ValueAt(Step)));
        return Outcome(finished: true, final);
    }

    private bool EvaluateAndConfirm(ITrainingListener? listener)
    {
        var result = _evaluator.Evaluate(Policy, Config.EvalEpisodes);
        var record = EvaluationRecord.From(Step, Episodes, result, final: false, Elapsed.TotalSeconds);
        Metrics.AddEvaluation(record);
        var (newBest, needsConfirmation) = _run.Tracker.Observe(record);
        bool confirmed = needsConfirmation && _run.Tracker.Confirm(_evaluator.Evaluate(Policy, Config.FinalEvalEpisodes));
        _time.Lap(Phase.Evaluation);
        if (listener is not null && (newBest || confirmed))
        {
            listener.NewBest(this);
            _time.Lap(Phase.Checkpoints);
        }
        return confirmed;
    }

    private void StartEpisode()
    {
        ulong seed = _episodeSeeds.NextUInt64();
        _environment.Reset(_observation, seed);
        _state = Discretizer.Index(_observation);
        _episode.Begin(seed);
    }

    private void EndEpisode(double epsilon, ProgressMeter meter)
    {
        _run.Episodes++;
        _episode.End();
        Metrics.AddEpisode(new EpisodeRecord(Step, Episodes, _episode.Return, _episode.Actions.Count, epsilon, _episode.MeanLoss, Elapsed.TotalSeconds));
        meter.EpisodeEnded(_episode.Return);
        StartEpisode();
    }

    private TimeSpan Elapsed => _run.ElapsedBefore + _time.Elapsed;

    private TrainingCounters Counters(double epsilon) =>
        new(Step, Config.TotalTimesteps, Episodes, Step, epsilon, _run.Tracker.Last, _run.Tracker.SolvedAtStep, Elapsed);

    private TrainingOutcome Outcome(bool finished, EvaluationResult? final) => _run.Outcome(finished, final, _time.Breakdown());

    /// <inheritdoc/>
    public void SaveModel(string path, bool best, IReadOnlyDictionary<string, string> metadata) => CaptureModel(best, metadata).Write(path);

    /// <inheritdoc/>
    public SafetensorsFile CaptureModel(bool best, IReadOnlyDictionary<string, string> metadata)
    {
        var all = new Dictionary<string, string>(metadata) { ["step"] = Step.ToString(CultureInfo.InvariantCulture) };
        return ModelFile.Table(best ? _best : Table, Config.Tabular, all);
    }

    /// <summary>
    /// The whole state as a checkpoint to write (a copy): tensors <c>table</c> and <c>best</c> [states, actions] and
    /// <c>episode.actions</c>; the loop's scalars, config, metrics and labels as <see cref="CheckpointFile"/> metadata.
    /// </summary>
    public CheckpointFile CaptureCheckpoint()
    {
        int[] actions = [.. _episode.Actions];
        SafetensorsEntry[] tensors =
        [
            SafetensorsEntry.FromArray<float>("table", Table.Values.ToArray(), [Table.StateCount, Table.ActionCount]),
            SafetensorsEntry.FromArray<float>("best", _best.Values.ToArray(), [Table.StateCount, Table.ActionCount]),
            SafetensorsEntry.FromArray<int>("episode.actions", actions, [actions.Length]),
        ];
        var scalars = new Scalars(_run.Counters(Elapsed), _exploration.GetState(), _episodeSeeds.GetState(), _episode.Running,
            _episode.Seed, _episode.Return, _episode.LossSum, _episode.Updates);
        return CheckpointFile.Capture(CheckpointFormat, tensors, Config, scalars, Metrics, Labels);
    }

    /// <summary>
    /// A trainer that continues exactly where the checkpoint at <paramref name="path"/> stopped: it restores the tables
    /// and random streams, then resets with the episode's seed and replays its actions. Throws
    /// <see cref="InvalidDataException"/> naming the file when it is not a tabular checkpoint.
    /// </summary>
    public static QTableTrainer Resume(string path, Func<TrainConfig, IEnvironment> makeEnvironment)
    {
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        return CheckpointFile.Read<Scalars, QTableTrainer>(path, CheckpointFormat, checkpoint =>
        {
            var trainer = new QTableTrainer(checkpoint.Config, () => makeEnvironment(checkpoint.Config));
            trainer.Restore(checkpoint);
            return trainer;
        });
    }

    private void Restore(Checkpoint<Scalars> checkpoint)
    {
        var (file, s) = (checkpoint.File, checkpoint.Scalars);
        Fill(Table, file["table"].ToArray<float>(), "table");
        Fill(_best, file["best"].ToArray<float>(), "best");
        _exploration.SetState(s.ExplorationRng);
        _episodeSeeds.SetState(s.EpisodeSeedsRng);
        _run = _run with { Metrics = checkpoint.Metrics, Labels = checkpoint.Labels };
        _run.Restore(s.Run);
        int[] actions = file["episode.actions"].ToArray<int>();
        _episode.Restore(s.EpisodeRunning, s.EpisodeSeed, actions, s.EpisodeReturn, s.EpisodeLossSum, s.EpisodeUpdates);
        if (!s.EpisodeRunning)
            return;
        // Back to where the saved run was: the episode's reset, then its actions again.
        _environment.Reset(_observation, s.EpisodeSeed);
        foreach (int action in actions)
        {
            if ((uint)action >= (uint)_environment.ActionCount || _environment.Step(action, _observation).Done)
                throw new InvalidDataException($"replaying the current episode from seed {s.EpisodeSeed} failed; the environment is not the one the checkpoint was made with.");
        }
        _state = Discretizer.Index(_observation);
    }

    private static void Fill(QTable table, float[] values, string name)
    {
        if (values.Length != table.Values.Length)
            throw new InvalidDataException($"{name} has {values.Length} values; the config's discretisation makes {table.Values.Length}.");
        values.CopyTo(table.Values);
    }

    /// <summary>A tensor over the table's own storage, so the tracker copies rows in place.</summary>
    private static Tensor AsTensor(QTable table) => new(table.ValuesArray, table.Values.Length);

    /// <summary>The loop's scalars in a checkpoint (JSON, snake_case).</summary>
    private sealed record Scalars(
        RunCounters Run,
        ulong[] ExplorationRng,
        ulong[] EpisodeSeedsRng,
        bool EpisodeRunning,
        ulong EpisodeSeed,
        double EpisodeReturn,
        double EpisodeLossSum,
        int EpisodeUpdates);

    /// <summary>A tabular run's counters, metrics and solve rule: nothing beyond what every run holds.</summary>
    private sealed record TabularRun : RunState;
}
