using System.Globalization;
using CartPole;
using PolicyGradient.Rollout;
using TinyTorch.Optim;
using Training.Config;
using Training.Evaluation;
using Training.Policies;
using Training.Reporting;
using Training.Runs;
using TinyTorch.IO;

namespace PolicyGradient.Training;

/// <summary>
/// The loop every on-policy policy-gradient method here shares, in the shape of CleanRL's ppo.py: each iteration anneals
/// the learning rate, collects a rollout of num_envs × num_steps steps with the current stochastic policy on a
/// <see cref="CartPoleVectorEnv"/>, learns from it (<see cref="Learn"/>: <see cref="PpoTrainer"/>'s clipped epochs, or
/// <see cref="ReinforceTrainer"/>'s one step on Monte-Carlo returns), then evaluates greedily when an eval_frequency
/// boundary has passed. Its state is one record, <see cref="PolicyGradientState"/>, which is also the checkpoint; the
/// best weights and the solve rule are a <see cref="SolveTracker"/>, as for DQN. The same seed and config give
/// bit-identical weights.
/// </summary>
public abstract class PolicyGradientTrainer : ITrainer
{
    private readonly PolicyGradientState _s;
    private readonly Evaluator _evaluator;
    private readonly RolloutCollector _collector;
    private readonly LinearLrSchedule _schedule;
    private readonly PhaseTimer _time = new();

    private protected PolicyGradientTrainer(TrainConfig config, Func<IEnvironment> makeEnvironment, PolicyGradientState? state, Algorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        if (config.Algorithm != algorithm)
            throw new ConfigException($"algorithm must be {AlgorithmNames.Key(algorithm)} for the {AlgorithmNames.Title(algorithm)} trainer, got {AlgorithmNames.Key(config.Algorithm)}.");
        Config = config.Validate();
        var env = new CartPoleVectorEnv(config.Ppo.NumEnvs, TrainingRun.EnvironmentOptions(config), AutoresetMode.SameStep);
        _evaluator = new Evaluator(makeEnvironment(), config.EvalSeed);
        _s = state ?? PolicyGradientState.Create(config, env.ObservationSize, env.ActionCount);
        Buffer = new RolloutBuffer(config.Ppo.NumSteps, config.Ppo.NumEnvs, env.ObservationSize);
        _collector = new RolloutCollector(env, _s.Actions);
        _collector.Reset(_s.EnvSeed);
        _collector.Replay(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_s.EnvActions));
        NumIterations = (int)Math.Min(int.MaxValue, config.TotalTimesteps / config.Ppo.BatchSize);
        _schedule = new LinearLrSchedule(config.LearningRate, NumIterations);
    }

    /// <inheritdoc/>
    public TrainConfig Config { get; }

    /// <summary>The run's whole state: agent, optimizer, random streams, counters (the checkpoint).</summary>
    public PolicyGradientState State => _s;

    /// <summary>The actor and critic being trained.</summary>
    public Agent Agent => _s.Agent;

    /// <summary>The one Adam over both networks.</summary>
    public Adam Optimizer => _s.Optimizer;

    /// <summary>The latest rollout, with its advantages.</summary>
    public RolloutBuffer Buffer { get; }

    /// <summary>I = total_timesteps / (num_envs · num_steps), the iterations of the whole run.</summary>
    public int NumIterations { get; }

    /// <inheritdoc/>
    public MetricsLog Metrics => _s.Metrics;

    /// <summary>The best agent by evaluation, played greedily (argmax of the logits).</summary>
    public IPolicy BestPolicy => _s.Best;

    /// <inheritdoc/>
    public long Step => _s.Step;

    /// <inheritdoc/>
    public bool Finished => _s.Finished;

    /// <summary>True: <see cref="CaptureCheckpoint"/> holds the whole state, <see cref="PolicyGradientTrainers.Resume"/> continues from it.</summary>
    public bool CanResume => true;

    /// <inheritdoc/>
    public IDictionary<string, string> Labels => _s.Labels;

    /// <summary>Return from <see cref="Train"/> (unfinished, as if cancelled) at the first iteration boundary at or past this step; null: never.</summary>
    public long? PauseAtStep { get; set; }

    /// <inheritdoc/>
    public TrainingOutcome Train(IProgress<TrainingProgress>? progress = null, ITrainingListener? listener = null, CancellationToken cancellationToken = default)
    {
        if (_s.Finished)
            throw new InvalidOperationException($"This run finished at step {_s.Step}; there is nothing left to train.");
        var (c, s) = (Config, _s);
        var meter = new ProgressMeter(progress);
        meter.Start(_s.Step, _s.Updates, _s.Metrics);
        long checkpointEvery = c.CheckpointFrequency ?? c.EvalFrequency;
        _time.Restart();

        while (s.Iteration < NumIterations)
        {
            if (cancellationToken.IsCancellationRequested || s.Step >= PauseAtStep)
                return Outcome(finished: false, final: null);
            long stepBefore = s.Step;

            // 1. lrᵢ = (1 − (i − 1)/I)·lr₀ when annealing
            s.Iteration++;
            if (c.Ppo.AnnealLr)
                _schedule.Apply(s.Optimizer, s.Iteration);

            // 2. Rollout: N envs × T steps of aₜ ~ π(·|sₜ), with log π(aₜ|sₜ) and V(sₜ) (and V of true final observations at time limits).
            //    (The timer counts the whole rollout, policy and environment steps, as acting.)
            _collector.Collect(s.Agent, Buffer);
            s.EnvActions.AddRange(Buffer.Actions);
            s.Step += Buffer.Size;
            _time.Lap(Phase.Acting);
            EndEpisodes(meter);
            _time.Lap(Phase.Other);

            // 3. Learn from the rollout (the algorithm).
            var (loss, updates) = Learn(Buffer);
            s.Updates += updates;
            meter.Loss(loss);
            _time.Lap(Phase.Updates);

            // 4. After each eval_frequency steps: evaluate θ greedily, keep the best weights, confirm a solve (and stop).
            bool evaluated = Crossed(stepBefore, s.Step, c.EvalFrequency);
            if (evaluated && EvaluateAndConfirm(listener) && c.StopWhenSolved)
                break;
            if (listener is not null && Crossed(stepBefore, s.Step, checkpointEvery))
            {
                listener.CheckpointDue(this);
                _time.Lap(Phase.Checkpoints);
            }
            meter.Tick(Counters(), evaluated);
            _time.Lap(Phase.Other);
        }
        return Finish(meter);
    }

    /// <summary>
    /// Learns from one rollout (whose advantages are not yet computed) and returns the loss to show and the number of
    /// gradient steps taken.
    /// </summary>
    protected abstract (float Loss, int Updates) Learn(RolloutBuffer rollout);

    /// <summary>True when a multiple of <paramref name="every"/> lies in (before, after].</summary>
    private static bool Crossed(long before, long after, long every) => after / every > before / every;

    /// <summary>Logs the episodes that ended during the rollout, in the order they ended.</summary>
    private void EndEpisodes(ProgressMeter meter)
    {
        var s = _s;
        int n = Buffer.NumEnvs;
        double seconds = Elapsed.TotalSeconds;
        for (int k = 0; k < Buffer.Size; k++)
        {
            int i = k % n;
            s.RunningReturns[i] += Buffer.Rewards[k];
            s.RunningLengths[i]++;
            if (Buffer.Terminated[k] || Buffer.Truncated[k])
            {
                s.Episodes++;
                long step = s.Step - Buffer.Size + k + 1;
                s.Metrics.AddEpisode(new EpisodeRecord(step, s.Episodes, s.RunningReturns[i], s.RunningLengths[i], 0, double.NaN, seconds));
                meter.EpisodeEnded(s.RunningReturns[i]);
                (s.RunningReturns[i], s.RunningLengths[i]) = (0, 0);
            }
        }
    }

    /// <summary>
    /// A periodic evaluation of θ (eval_episodes greedy episodes on the eval_seed episodes). A new best is kept (and
    /// written at once by the listener); one that reaches solve_threshold is confirmed on final_eval_episodes episodes.
    /// Returns true when the run is solved.
    /// </summary>
    private bool EvaluateAndConfirm(ITrainingListener? listener)
    {
        var s = _s;
        var result = _evaluator.Evaluate(s.Agent, Config.EvalEpisodes);
        var record = EvaluationRecord.From(s.Step, s.Episodes, result, final: false, Elapsed.TotalSeconds);
        s.Metrics.AddEvaluation(record);
        var (newBest, needsConfirmation) = s.Tracker.Observe(record);
        bool confirmed = needsConfirmation && s.Tracker.Confirm(_evaluator.Evaluate(s.Agent, Config.FinalEvalEpisodes));
        _time.Lap(Phase.Evaluation);
        if (listener is not null && (newBest || confirmed))
        {
            listener.NewBest(this);
            _time.Lap(Phase.Checkpoints);
        }
        return confirmed;
    }

    /// <summary>The final evaluation: final_eval_episodes episodes of the kept weights (the confirmation, when solved).</summary>
    private TrainingOutcome Finish(ProgressMeter meter)
    {
        var s = _s;
        s.Tracker.KeepLiveIfNoneEvaluated();
        var final = s.Tracker.Confirmation ?? _evaluator.Evaluate(s.Best, Config.FinalEvalEpisodes);
        _time.Lap(Phase.Evaluation);
        s.Metrics.AddEvaluation(EvaluationRecord.From(s.Step, s.Episodes, final, final: true, Elapsed.TotalSeconds));
        s.Finished = true;
        meter.Finish(Counters());
        return Outcome(finished: true, final);
    }

    private TimeSpan Elapsed => _s.ElapsedBefore + _time.Elapsed;

    private TrainingCounters Counters() =>
        new(_s.Step, Config.TotalTimesteps, _s.Episodes, _s.Updates, Epsilon: null, _s.Tracker.Last, _s.Tracker.SolvedAtStep, Elapsed);

    private TrainingOutcome Outcome(bool finished, EvaluationResult? final) => _s.Outcome(finished, final, _time.Breakdown());

    /// <summary>
    /// Writes the best (<paramref name="best"/>) or the current agent with CleanRL's Agent keys (<see cref="Agent.Save"/>),
    /// so that <c>agent.load_state_dict(load_file(path))</c> works on CleanRL's Agent; the metadata names the format,
    /// the algorithm, both networks' sizes and the run.
    /// </summary>
    public void SaveModel(string path, bool best, IReadOnlyDictionary<string, string> metadata) => CaptureModel(best, metadata).Write(path);

    /// <inheritdoc/>
    public SafetensorsFile CaptureModel(bool best, IReadOnlyDictionary<string, string> metadata)
    {
        var agent = best ? _s.Best : _s.Agent;
        var all = new Dictionary<string, string>(metadata)
        {
            ["format"] = AgentModelFile.Format,
            ["algorithm"] = AlgorithmNames.Key(Config.Algorithm),
            ["actor_sizes"] = Agent.Describe(agent.Actor).Replace('-', ','),
            ["critic_sizes"] = Agent.Describe(agent.Critic).Replace('-', ','),
            ["step"] = _s.Step.ToString(CultureInfo.InvariantCulture),
        };
        if (best && _s.Tracker.Best is { } b)
        {
            all["eval_step"] = b.Step.ToString(CultureInfo.InvariantCulture);
            all["eval_mean_return"] = b.Mean.ToString("R", CultureInfo.InvariantCulture);
        }
        return agent.ToFile(all);
    }

    /// <summary>The whole training state as a checkpoint to write (<see cref="PolicyGradientState.Capture"/>); called between iterations.</summary>
    public CheckpointFile CaptureCheckpoint() => _s.Capture(Elapsed);
}
