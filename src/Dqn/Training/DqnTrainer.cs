using System.Globalization;
using CartPole;
using Dqn.Replay;
using Dqn.Update;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;
using Training.Config;
using Training.Evaluation;
using Training.Policies;
using Training.Reporting;
using Training.Runs;
using Training.Schedules;

namespace Dqn.Training;

/// <summary>
/// Deep Q-learning with experience replay (Mnih et al. 2015, Algorithm 1), in the shape of CleanRL's dqn.py: the whole
/// algorithm is the loop in <see cref="Train"/>, read top to bottom. Its state is one record, <see cref="DqnState"/>,
/// which is also the checkpoint; the best weights and the solve rule are a <see cref="SolveTracker"/>; timing is a
/// <see cref="PhaseTimer"/> beside the algorithm. The same seed and config give bit-identical weights.
/// </summary>
public sealed class DqnTrainer : ITrainer
{
    private readonly DqnState _s;
    private readonly IEnvironment _env;
    private readonly Evaluator _evaluator;
    private readonly FastQUpdate _update;
    private readonly ITransitionSink _sink;
    private readonly NStepAccumulator _nStep;
    private readonly ReplayBatch _batch;
    private readonly float[] _tdErrors;
    private readonly LinearSchedule _epsilon, _beta;
    private readonly GreedyPolicy _actor, _bestPolicy;
    private readonly PhaseTimer _time = new();
    private float[] _obs, _nextObs;

    /// <param name="config">A valid config with algorithm dqn.</param>
    /// <param name="makeEnvironment">Called twice: one environment for training, one for evaluation.</param>
    public DqnTrainer(TrainConfig config, Func<IEnvironment> makeEnvironment)
        : this(config, makeEnvironment, state: null)
    {
    }

    private DqnTrainer(TrainConfig config, Func<IEnvironment> makeEnvironment, DqnState? state)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        if (config.Algorithm != Algorithm.Dqn)
            throw new ConfigException($"algorithm must be dqn for the DQN trainer, got {config.Algorithm}.");
        Config = config.Validate();
        _env = makeEnvironment();
        _evaluator = new Evaluator(makeEnvironment(), config.EvalSeed);
        int observationSize = _env.ObservationSize;
        _s = state ?? DqnState.Create(config, observationSize, _env.ActionCount);

        var updateConfig = new QUpdateConfig { Loss = config.Loss, DoubleDqn = config.DoubleDqn, MaxGradNorm = config.MaxGradNorm };
        _update = new FastQUpdate(_s.Q, _s.Target, _s.Optimizer, updateConfig, config.Dueling, config.BatchSize);
        _sink = (ITransitionSink?)_s.Prioritized ?? _s.Replay;
        // γ has one path: the accumulator's per-transition discounts γⁿ (γᵐ for an m-step tail) reach the update.
        _nStep = new NStepAccumulator(config.NStep, config.Gamma, observationSize);
        _batch = new ReplayBatch(config.BatchSize, observationSize);
        _tdErrors = new float[config.BatchSize];
        _epsilon = LinearSchedule.Exploration(config.StartE, config.EndE, config.ExplorationFraction, config.TotalTimesteps);
        _beta = LinearSchedule.BetaAnnealing(config.PrioritizedBeta0, config.TotalTimesteps);
        _actor = QNetworkPolicy.Greedy(_s.Q, config.Dueling);
        _bestPolicy = QNetworkPolicy.Greedy(_s.Best, config.Dueling);
        _obs = new float[observationSize];
        _nextObs = new float[observationSize];
    }

    /// <inheritdoc/>
    public TrainConfig Config { get; }

    /// <summary>The run's whole state: networks, optimizer, replay memory, random streams, counters (the checkpoint).</summary>
    public DqnState State => _s;

    /// <inheritdoc/>
    public MetricsLog Metrics => _s.Metrics;

    /// <summary>The online network Q(·; θ).</summary>
    public Sequential QNetwork => _s.Q;

    /// <summary>The target network Q̂(·; θ′).</summary>
    public Sequential TargetQNetwork => _s.Target;

    /// <summary>The weights model.safetensors holds.</summary>
    public Sequential BestNetwork => _s.Best;

    /// <summary>The optimizer over θ.</summary>
    public Optimizer Optimizer => _s.Optimizer;

    /// <inheritdoc/>
    public IPolicy BestPolicy => _bestPolicy;

    /// <summary>The greedy policy of the online network.</summary>
    public IPolicy Policy => _actor;

    /// <inheritdoc/>
    public long Step => _s.Step;

    /// <summary>Gradient steps done.</summary>
    public long Updates => _s.Updates;

    /// <summary>Episodes finished.</summary>
    public int Episodes => _s.Episodes;

    /// <inheritdoc/>
    public bool Finished => _s.Finished;

    /// <summary>True: <see cref="CaptureCheckpoint"/> holds the whole state, <see cref="Resume"/> continues from it.</summary>
    public bool CanResume => true;

    /// <inheritdoc/>
    public IDictionary<string, string> Labels => _s.Labels;

    /// <summary>Return from <see cref="Train"/> (unfinished, as if cancelled) once this many steps are done; null: never.</summary>
    public long? PauseAtStep { get; set; }

    /// <summary>Called around gradient steps, e.g. to explain or dump one (see <see cref="IUpdateObserver"/>); null: none.</summary>
    public IUpdateObserver? UpdateObserver { get; set; }

    internal ReplayBuffer Replay => _s.Replay;

    internal PrioritizedReplayBuffer? PrioritizedReplay => _s.Prioritized;

    /// <summary>The minibatch of the latest gradient step.</summary>
    internal ReplayBatch LastBatch => _batch;

    internal FastQUpdate QUpdate => _update;

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
        if (!s.Episode.Running)
            StartEpisode();

        while (s.Step < c.TotalTimesteps)
        {
            if (cancellationToken.IsCancellationRequested || s.Step >= PauseAtStep)
                return Outcome(finished: false, final: null);

            // 1. Act ε-greedily: a random action with probability ε, else a = argmax_a Q(s, a; θ).
            //    ε goes linearly from start_e to end_e over exploration_fraction · total_timesteps steps.
            double epsilon = _epsilon.ValueAt(s.Step);
            if (!EpsilonGreedy.TryExplore(epsilon, _env.ActionCount, s.Exploration, out int action))
                action = _actor.Act(_obs);
            _time.Lap(Phase.Acting);

            // 2. Execute a: reward r, next observation s′, and whether the episode terminated or was truncated.
            StepResult result = _env.Step(action, _nextObs);
            s.Step++;
            s.Episode.Record(action, result.Reward);
            _time.Lap(Phase.Environment);

            // 3. Store (s, a, r, s′, terminated) in D, as n-step transitions (R = Σₖ γᵏ rₜ₊ₖ, discount γⁿ). A time-limit
            //    truncation is not a termination: s′ is still worth bootstrapping from, so terminated = 0.
            _nStep.Add(_obs, action, result.Reward, _nextObs, result.Terminated, result.Truncated, _sink);
            _time.Lap(Phase.Storing);

            // 4. s ← s′; or log the finished episode and reset.
            if (result.Done)
                EndEpisode(epsilon, meter);
            else
                (_obs, _nextObs) = (_nextObs, _obs);
            _time.Lap(Phase.Environment);

            // 5. Learn once D holds learning_starts steps: every train_frequency steps, gradient_steps minibatch updates
            //    of θ on y = R + γⁿ·(1 − terminated)·Q̂(s′, a*).
            if (s.Step > c.LearningStarts && s.Step % c.TrainFrequency == 0)
            {
                for (int g = 0; g < c.GradientSteps; g++)
                    meter.Loss(GradientStep());
                _time.Lap(Phase.Updates);
            }

            // 6. Every target_network_frequency steps: θ′ ← τ·θ + (1 − τ)·θ′ (τ = 1: the hard copy θ′ ← θ).
            if (s.Step > c.LearningStarts && s.Step % c.TargetNetworkFrequency == 0)
            {
                TargetNetwork.Update(s.Q, s.Target, c.Tau);
                _time.Lap(Phase.TargetUpdates);
            }

            // 7. Every eval_frequency steps: evaluate θ greedily, keep the best weights, confirm a solve (and stop).
            bool evaluated = s.Step % c.EvalFrequency == 0;
            if (evaluated && EvaluateAndConfirm(listener) && c.StopWhenSolved)
                break;
            if (listener is not null && s.Step % checkpointEvery == 0)
            {
                listener.CheckpointDue(this);
                _time.Lap(Phase.Checkpoints);
            }
            meter.Tick(Counters(epsilon), evaluated);
            _time.Lap(Phase.Other);
        }
        return Finish(meter);
    }

    /// <summary>
    /// One minibatch update of θ (Mnih et al. 2015, Algorithm 1, lines 12–14), exactly as the loop takes it: sample from
    /// D, the Q-update, new priorities. Returns its loss. Public so that benchmarks time the update training runs.
    /// </summary>
    public float GradientStep()
    {
        var (s, b) = (_s, _batch);
        // Sample a minibatch from D: uniformly, or with P(i) ∝ pᵢ^α and weights wᵢ = (N·P(i))^−β / max w, β annealed to 1.
        if (s.Prioritized is { } per)
            per.Sample(Config.BatchSize, _beta.ValueAt(s.Step), s.Sampling, b);
        else
            s.Replay.Sample(Config.BatchSize, s.Sampling, b);
        UpdateObserver?.Before(s.Updates + 1, this, b);

        // yᵢ = Rᵢ + dᵢ·(1 − terminatedᵢ)·Q̂(s′ᵢ, a*ᵢ);  L = (1/B)·Σ wᵢ·ℓ(Q(sᵢ, aᵢ; θ) − yᵢ);  θ ← optimizer step on ∇θ L.
        bool prioritized = s.Prioritized is not null;
        float loss = _update.Step(b.Observations, b.Actions, b.Rewards, b.NextObservations, b.Terminated, b.Discounts,
            prioritized ? b.Weights : default, prioritized ? _tdErrors : default);

        // New priorities pᵢ = |δᵢ| + ε for the sampled transitions.
        s.Prioritized?.UpdatePriorities(b.Indices, _tdErrors);
        s.Updates++;
        s.Episode.AddLoss(loss);
        UpdateObserver?.After(s.Updates, this, loss);
        return loss;
    }

    /// <summary>
    /// A periodic evaluation of θ (eval_episodes greedy episodes on the eval_seed episodes). A new best is kept (and
    /// written at once by the listener); one that reaches solve_threshold is confirmed on final_eval_episodes episodes.
    /// Returns true when the run is solved.
    /// </summary>
    private bool EvaluateAndConfirm(ITrainingListener? listener)
    {
        var s = _s;
        var result = _evaluator.Evaluate(_actor, Config.EvalEpisodes);
        var record = EvaluationRecord.From(s.Step, s.Episodes, result, final: false, Elapsed.TotalSeconds);
        s.Metrics.AddEvaluation(record);
        var (newBest, needsConfirmation) = s.Tracker.Observe(record);
        bool confirmed = needsConfirmation && s.Tracker.Confirm(_evaluator.Evaluate(_actor, Config.FinalEvalEpisodes));
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
        var final = s.Tracker.Confirmation ?? _evaluator.Evaluate(_bestPolicy, Config.FinalEvalEpisodes);
        _time.Lap(Phase.Evaluation);
        s.Metrics.AddEvaluation(EvaluationRecord.From(s.Step, s.Episodes, final, final: true, Elapsed.TotalSeconds));
        s.Finished = true;
        meter.Finish(Counters(_epsilon.ValueAt(s.Step)));
        return Outcome(finished: true, final);
    }

    /// <summary>Resets the training environment with the next episode seed (so the episode can be replayed on resume).</summary>
    private void StartEpisode()
    {
        ulong seed = _s.EpisodeSeeds.NextUInt64();
        _env.Reset(_obs, seed);
        _s.Episode.Begin(seed);
    }

    private void EndEpisode(double epsilon, ProgressMeter meter)
    {
        var (s, e) = (_s, _s.Episode);
        s.Episodes++;
        e.End();
        s.Metrics.AddEpisode(new EpisodeRecord(s.Step, s.Episodes, e.Return, e.Actions.Count, epsilon, e.MeanLoss, Elapsed.TotalSeconds));
        meter.EpisodeEnded(e.Return);
        StartEpisode();
    }

    private TimeSpan Elapsed => _s.ElapsedBefore + _time.Elapsed;

    private TrainingCounters Counters(double epsilon) =>
        new(_s.Step, Config.TotalTimesteps, _s.Episodes, _s.Updates, epsilon, _s.Tracker.Last, _s.Tracker.SolvedAtStep, Elapsed);

    private TrainingOutcome Outcome(bool finished, EvaluationResult? final) => _s.Outcome(finished, final, _time.Breakdown());

    /// <inheritdoc/>
    public void SaveModel(string path, bool best, IReadOnlyDictionary<string, string> metadata) => CaptureModel(best, metadata).Write(path);

    /// <inheritdoc/>
    public SafetensorsFile CaptureModel(bool best, IReadOnlyDictionary<string, string> metadata)
    {
        var all = new Dictionary<string, string>(metadata)
        {
            ["step"] = _s.Step.ToString(CultureInfo.InvariantCulture),
        };
        if (best && _s.Tracker.Best is { } b)
        {
            all["eval_step"] = b.Step.ToString(CultureInfo.InvariantCulture);
            all["eval_mean_return"] = b.Mean.ToString("R", CultureInfo.InvariantCulture);
        }
        return ModelFile.Network(best ? _s.Best : _s.Q, Config.Dueling, all);
    }

    /// <summary>The whole training state as a checkpoint to write (<see cref="DqnState.Capture"/>); can be called between steps, from a listener.</summary>
    public CheckpointFile CaptureCheckpoint() => _s.Capture(Elapsed);

    /// <summary>
    /// Rebuilds a trainer from a checkpoint written from <see cref="CaptureCheckpoint"/>; its next <see cref="Train"/> call
    /// continues exactly where the saved run stopped. Throws <see cref="InvalidDataException"/> naming the file and the
    /// problem when it is not such a checkpoint.
    /// </summary>
    public static DqnTrainer Resume(string path, Func<TrainConfig, IEnvironment> makeEnvironment)
    {
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        var config = DqnState.ReadConfig(path);
        var probe = makeEnvironment(config);
        var state = DqnState.Load(path, probe.ObservationSize, probe.ActionCount);
        var trainer = new DqnTrainer(state.Config, () => makeEnvironment(state.Config), state);
        if (state.Episode.Running)
            trainer.ReplayEpisode(path);
        return trainer;
    }

    /// <summary>
    /// Brings the training environment back to where the saved run was: a reset with the episode's seed, then its
    /// actions again. The transitions go through the n-step accumulator (so its pending ones are the saved run's);
    /// what it completes is already in the replay memory and is dropped.
    /// </summary>
    private void ReplayEpisode(string path)
    {
        var e = _s.Episode;
        _env.Reset(_obs, e.Seed);
        double replayedReturn = 0;
        var discard = new DiscardingSink();
        for (int i = 0; i < e.Actions.Count; i++)
        {
            int action = e.Actions[i];
            if ((uint)action >= (uint)_env.ActionCount)
                throw new InvalidDataException($"'{path}' is not a usable checkpoint: episode.actions holds action {action}; the environment has {_env.ActionCount}.");
            var result = _env.Step(action, _nextObs);
            if (result.Done)
                throw new InvalidDataException($"'{path}' is not a usable checkpoint: replaying the current episode from seed {e.Seed} ended it after {i + 1} of {e.Actions.Count} steps; the environment is not the one the checkpoint was made with.");
            _nStep.Add(_obs, action, result.Reward, _nextObs, result.Terminated, result.Truncated, discard);
            replayedReturn += result.Reward;
            (_obs, _nextObs) = (_nextObs, _obs);
        }
        if (replayedReturn != e.Return)
            throw new InvalidDataException($"'{path}' is not a usable checkpoint: replaying the current episode from seed {e.Seed} gave return {replayedReturn}, the checkpoint says {e.Return}; the environment is not the one the checkpoint was made with.");
    }

    /// <summary>Transitions that are already stored: replaying an episode must not store them twice.</summary>
    private sealed class DiscardingSink : ITransitionSink
    {
        public void Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation,
            bool terminated, float discount)
        {
        }
    }
}
