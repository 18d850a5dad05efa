using System.Diagnostics;
using System.Globalization;
using CartPole;
using Training.Config;
using Training.Evaluation;
using Training.Policies;
using Dqn.Replay;
using Training.Reporting;
using Training.Schedules;
using Dqn.Update;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;
using Training.Runs;

namespace Dqn.Training;

/// <summary>
/// Deep Q-learning with experience replay (Mnih et al. 2015, Algorithm 1), in the shape of CleanRL's dqn.py: one loop,
/// read top to bottom in <see cref="Train"/>. Per environment step:
/// <list type="number">
/// <item>act ε-greedily with ε on a linear schedule;</item>
/// <item>step the environment;</item>
/// <item>store (s, a, r, s′, terminated) in the replay memory D, through the n-step accumulator;</item>
/// <item>after learning_starts steps, every train_frequency steps, take gradient_steps minibatch updates on
///       y = r + γ·(1 − terminated)·Q̂(s′, a*) (Double DQN, dueling, prioritized replay per the config);</item>
/// <item>every target_network_frequency steps, move the target network θ′ towards θ (hard copy when τ = 1);</item>
/// <item>every eval_frequency steps, evaluate the greedy policy on fixed seeds, keep the best weights, and stop at the
///       first evaluation that reaches solve_threshold when stop_when_solved.</item>
/// </list>
/// Then a final evaluation of the best weights. Randomness comes from four streams forked from <c>new Rng(seed)</c>
/// (network initialisation, exploration, minibatch sampling, the seeds of the training episodes' resets), so a seed and
/// a config give bit-identical weights; the state of all of them is part of a checkpoint
/// (<see cref="SaveCheckpoint"/>, <see cref="Resume"/>).
/// </summary>
public sealed partial class DqnTrainer : ITrainer
{
    private const double ProgressSeconds = 0.1;

    private readonly IEnvironment _env;
    private readonly Evaluator _evaluator;
    private readonly Sequential _q, _qTarget, _best;
    private readonly Optimizer _optimizer;
    private readonly FastQUpdate _update;
    private readonly ReplayBuffer _replay;
    private readonly PrioritizedReplayBuffer? _prioritized;
    private readonly ITransitionSink _sink;
    private readonly NStepAccumulator _nStep;
    private readonly ReplayBatch _batch;
    private readonly float[] _tdErrors;
    private readonly LinearSchedule _epsilon, _beta;
    private readonly GreedyPolicy _actor, _bestPolicy;
    private readonly Rng _exploration, _sampling, _episodeSeeds;
    private readonly MovingAverage _recentReturns = new(20);

    // The loop's state between steps: everything here is saved in a checkpoint.
    private float[] _obs, _nextObs;
    private readonly List<int> _episodeActions = [];
    private bool _episodeRunning;
    private ulong _episodeSeed;
    private double _episodeReturn, _episodeLossSum;
    private int _episodeUpdates;
    private long _step, _updates;
    private int _episodes;
    private long? _solvedAtStep;
    private double? _solvedAtSeconds;
    private EvaluationRecord? _bestEvaluation, _lastEvaluation;
    private EvaluationResult? _confirmedFinal;
    private bool _finished;
    private TimeSpan _elapsedBefore;

    // Wall-time accounting of the current Train call (Stopwatch ticks).
    private long _tActing, _tEnvironment, _tStoring, _tUpdates, _tTarget, _tEvaluation;
    private double _intervalLossSum;
    private double? _lastLoss;
    private long _intervalUpdates;

    /// <param name="config">A valid config with algorithm dqn.</param>
    /// <param name="makeEnvironment">Called twice: one environment for training, one for evaluation.</param>
    public DqnTrainer(TrainConfig config, Func<IEnvironment> makeEnvironment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        if (config.Algorithm != Algorithm.Dqn)
            throw new ConfigException($"algorithm must be dqn for the DQN trainer, got {config.Algorithm}.");
        Config = config.Validate();
        _env = makeEnvironment();
        _evaluator = new Evaluator(makeEnvironment(), config.EvalSeed);
        int observationSize = _env.ObservationSize, actions = _env.ActionCount;

        var root = new Rng(config.Seed);
        var initialisation = root.Fork();
        _exploration = root.Fork();
        _sampling = root.Fork();
        _episodeSeeds = root.Fork();

        // Q(s, ·; θ): an MLP obs → hidden… → |A| values (1 + |A| for the dueling head [V, A₀, …]).
        int outputs = config.Dueling ? actions + 1 : actions;
        int[] hidden = [.. config.HiddenSizes];
        _q = Sequential.Mlp(initialisation, observationSize, hidden, outputs);
        // Q̂(s, ·; θ′) starts as a copy: θ′ ← θ.
        _qTarget = Sequential.Mlp(initialisation, observationSize, hidden, outputs);
        TargetNetwork.Copy(_q, _qTarget);
        _best = Sequential.Mlp(initialisation, observationSize, hidden, outputs);
        TargetNetwork.Copy(_q, _best);

        _optimizer = config.Optimizer == OptimizerKind.Adam
            ? new Adam(_q.Parameters(), config.LearningRate)
            : new SGD(_q.Parameters(), config.LearningRate);
        var updateConfig = new QUpdateConfig
        {
            Gamma = config.Gamma,
            Loss = config.Loss,
            DoubleDqn = config.DoubleDqn,
            MaxGradNorm = config.MaxGradNorm,
        };
        _update = new FastQUpdate(_q, _qTarget, _optimizer, updateConfig, config.Dueling, config.BatchSize);

        // Replay memory D: uniform, or prioritized by |δ| (Schaul et al. 2016).
        if (config.Prioritized)
        {
            _prioritized = new PrioritizedReplayBuffer(config.BufferSize, observationSize, config.PrioritizedAlpha, config.PrioritizedEps);
            _replay = _prioritized.Storage;
            _sink = _prioritized;
        }
        else
        {
            _replay = new ReplayBuffer(config.BufferSize, observationSize);
            _sink = _replay;
        }
        _nStep = new NStepAccumulator(config.NStep, config.Gamma, observationSize);
        _batch = new ReplayBatch(config.BatchSize, observationSize);
        _tdErrors = new float[config.BatchSize];

        _epsilon = LinearSchedule.Exploration(config.StartE, config.EndE, config.ExplorationFraction, config.TotalTimesteps);
        _beta = LinearSchedule.BetaAnnealing(config.PrioritizedBeta0, config.TotalTimesteps);
        _actor = QNetworkPolicy.Greedy(_q, config.Dueling);
        _bestPolicy = QNetworkPolicy.Greedy(_best, config.Dueling);
        _obs = new float[observationSize];
        _nextObs = new float[observationSize];
    }

    public TrainConfig Config { get; }

    public MetricsLog Metrics { get; private set; } = new();

    /// <summary>The online network Q(·; θ).</summary>
    public Sequential QNetwork => _q;

    /// <summary>The target network Q̂(·; θ′).</summary>
    public Sequential TargetQNetwork => _qTarget;

    /// <summary>The weights of the best evaluation so far (a copy of the online network before the first).</summary>
    public Sequential BestNetwork => _best;

    public Optimizer Optimizer => _optimizer;

    public IPolicy BestPolicy => _bestPolicy;

    /// <summary>The greedy policy of the online network.</summary>
    public IPolicy Policy => _actor;

    /// <summary>Environment steps done.</summary>
    public long Step => _step;

    /// <summary>Gradient steps done.</summary>
    public long Updates => _updates;

    public int Episodes => _episodes;

    /// <summary>True once <see cref="Train"/> has run to the end and done the final evaluation.</summary>
    public bool Finished => _finished;

    /// <summary>True: <see cref="SaveCheckpoint"/> writes the whole state, <see cref="Resume"/> continues from it.</summary>
    public bool CanResume => true;

    /// <summary>Free-form labels of the run (such as its preset), saved in and restored from checkpoints.</summary>
    public IDictionary<string, string> Labels { get; private set; } = new Dictionary<string, string>();

    /// <summary>Return from <see cref="Train"/> (unfinished, as if cancelled) once this many steps are done; null: never.</summary>
    public long? PauseAtStep { get; set; }

    /// <summary>The replay memory (the storage of the prioritized buffer when there is one).</summary>
    internal ReplayBuffer Replay => _replay;

    internal PrioritizedReplayBuffer? PrioritizedReplay => _prioritized;

    /// <summary>The minibatch of the latest gradient step.</summary>
    internal ReplayBatch LastBatch => _batch;

    internal FastQUpdate QUpdate => _update;

    public TrainingOutcome Train(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (_finished)
            throw new InvalidOperationException($"This run finished at step {_step}; there is nothing left to train.");
        var c = Config;
        var clock = Stopwatch.StartNew();
        _tActing = _tEnvironment = _tStoring = _tUpdates = _tTarget = _tEvaluation = 0;
        var stepRate = new RateMeter();
        var updateRate = new RateMeter();
        long firstStep = _step, firstUpdate = _updates;
        stepRate.Rate(firstStep, 0);
        updateRate.Rate(firstUpdate, 0);
        long lastReport = Stopwatch.GetTimestamp();
        if (!_episodeRunning)
            StartEpisode();

        while (_step < c.TotalTimesteps)
        {
            if (cancellationToken.IsCancellationRequested || _step >= PauseAtStep)
                return Outcome(finished: false, clock);

            // 1. Act: with probability ε a random action, otherwise a = argmax_a Q(s, a; θ).
            //    ε goes linearly from start_e to end_e over exploration_fraction · total_timesteps steps.
            long t0 = Stopwatch.GetTimestamp();
            double epsilon = _epsilon.ValueAt(_step);
            if (!EpsilonGreedy.TryExplore(epsilon, _env.ActionCount, _exploration, out int action))
                action = _actor.Act(_obs);
            long t1 = Stopwatch.GetTimestamp();

            // 2. Execute a in the environment: reward r, next observation s′, and how the episode ended, if it did.
            StepResult result = _env.Step(action, _nextObs);
            _step++;
            _episodeActions.Add(action);
            _episodeReturn += result.Reward;
            long t2 = Stopwatch.GetTimestamp();

            // 3. Store the transition in D. Termination, not "done": a time-limit truncation leaves s′ (the real last
            //    observation, before any reset) worth bootstrapping from, so it is stored with terminated = 0.
            //    The accumulator turns 1-step transitions into n-step ones (with n = 1 it passes them through).
            _nStep.Add(_obs, action, result.Reward, _nextObs, result.Terminated, result.Truncated, _sink);
            long t3 = Stopwatch.GetTimestamp();

            // 4. s ← s′, or log the finished episode and reset.
            if (result.Done)
            {
                EndEpisode(epsilon, clock);
                StartEpisode();
            }
            else
            {
                (_obs, _nextObs) = (_nextObs, _obs);
            }
            long t4 = Stopwatch.GetTimestamp();
            _tActing += t1 - t0;
            _tEnvironment += t2 - t1 + t4 - t3;
            _tStoring += t3 - t2;

            // 5. Learn, once D holds learning_starts steps of play: every train_frequency steps, gradient_steps updates.
            if (_step > c.LearningStarts)
            {
                if (_step % c.TrainFrequency == 0)
                {
                    for (int g = 0; g < c.GradientSteps; g++)
                        GradientStep();
                    _tUpdates += Stopwatch.GetTimestamp() - t4;
                }

                // 6. Every C = target_network_frequency steps: θ′ ← τ·θ + (1 − τ)·θ′ (τ = 1: the hard copy θ′ ← θ).
                if (_step % c.TargetNetworkFrequency == 0)
                {
                    long t5 = Stopwatch.GetTimestamp();
                    TargetNetwork.Update(_q, _qTarget, c.Tau);
                    _tTarget += Stopwatch.GetTimestamp() - t5;
                }
            }

            // 7. Evaluate the greedy policy; keep the best weights; stop once solved, if asked to.
            bool evaluated = _step % c.EvalFrequency == 0;
            if (evaluated)
                Evaluate(clock);
            if (progress is not null
                && (evaluated || ((_step & 255) == 0 && Stopwatch.GetElapsedTime(lastReport).TotalSeconds >= ProgressSeconds)))
            {
                progress.Report(Snapshot(epsilon, clock, stepRate, updateRate));
                lastReport = Stopwatch.GetTimestamp();
            }
            // Stop once solved, on weights that also pass the final evaluation: 20 episodes can reach 475 by luck,
            // and a run is judged on the final_eval_episodes ones.
            if (evaluated && c.StopWhenSolved && _lastEvaluation!.Value.Mean >= c.SolveThreshold && ConfirmSolved())
                break;
        }

        // The final evaluation: final_eval_episodes episodes of the best weights (the current ones if none was evaluated).
        if (_bestEvaluation is null)
            TargetNetwork.Copy(_q, _best);
        long t6 = Stopwatch.GetTimestamp();
        var final = _confirmedFinal ?? _evaluator.Evaluate(_bestPolicy, c.FinalEvalEpisodes);
        _tEvaluation += Stopwatch.GetTimestamp() - t6;
        Metrics.AddEvaluation(EvaluationRecord.From(_step, _episodes, final, final: true, Elapsed(clock)));
        _finished = true;
        // The last snapshot shows the rates of the whole call, not of the final evaluation.
        var callSteps = new RateMeter();
        var callUpdates = new RateMeter();
        callSteps.Rate(firstStep, 0);
        callUpdates.Rate(firstUpdate, 0);
        progress?.Report(Snapshot(_epsilon.ValueAt(_step), clock, callSteps, callUpdates));
        return Outcome(finished: true, clock, final);
    }

    /// <summary>One minibatch update of θ (Mnih et al. 2015, Algorithm 1, lines 12–14).</summary>
    private void GradientStep()
    {
        var b = _batch;
        bool prioritized = _prioritized is not null;
        // Sample a minibatch from D: uniformly, or with P(i) ∝ pᵢ^α and weights wᵢ = (N·P(i))^−β / max w, β annealed to 1.
        if (_prioritized is { } per)
            per.Sample(Config.BatchSize, _beta.ValueAt(_step), _sampling, b);
        else
            _replay.Sample(Config.BatchSize, _sampling, b);

        // y = R + γᵢ·(1 − terminated)·Q̂(s′, a*); L = (1/B)·Σ wᵢ·ℓ(Q(s, a; θ) − y); θ ← optimizer step on ∇θ L.
        float loss = _update.Step(b.Observations, b.Actions, b.Rewards, b.NextObservations, b.Terminated, b.Discounts,
            prioritized ? b.Weights : default, prioritized ? _tdErrors : default);

        // New priorities pᵢ = |δᵢ| + ε for the sampled transitions.
        _prioritized?.UpdatePriorities(b.Indices, _tdErrors);
        _updates++;
        _episodeLossSum += loss;
        _episodeUpdates++;
        _intervalLossSum += loss;
        _intervalUpdates++;
    }

    private void Evaluate(Stopwatch clock)
    {
        long t0 = Stopwatch.GetTimestamp();
        var result = _evaluator.Evaluate(_actor, Config.EvalEpisodes);
        var record = EvaluationRecord.From(_step, _episodes, result, final: false, Elapsed(clock));
        Metrics.AddEvaluation(record);
        _lastEvaluation = record;
        // model.safetensors keeps the weights of the best evaluation (the earliest one on ties).
        if (_bestEvaluation is null || result.Mean > _bestEvaluation.Value.Mean)
        {
            TargetNetwork.Copy(_q, _best);
            _bestEvaluation = record;
        }
        if (_solvedAtStep is null && result.Mean >= Config.SolveThreshold)
        {
            _solvedAtStep = _step;
            _solvedAtSeconds = record.TimeSeconds;
        }
        _tEvaluation += Stopwatch.GetTimestamp() - t0;
    }

    /// <summary>
    /// The current weights reached the threshold over eval_episodes episodes: evaluates them over final_eval_episodes.
    /// If they pass, they become the best model and that evaluation is the final one; if not, training goes on.
    /// </summary>
    private bool ConfirmSolved()
    {
        long t0 = Stopwatch.GetTimestamp();
        var result = _evaluator.Evaluate(_actor, Config.FinalEvalEpisodes);
        _tEvaluation += Stopwatch.GetTimestamp() - t0;
        if (result.Mean < Config.SolveThreshold)
            return false;
        TargetNetwork.Copy(_q, _best);
        _bestEvaluation = _lastEvaluation;
        _confirmedFinal = result;
        return true;
    }

    /// <summary>Resets the training environment with the next episode seed (so the episode can be replayed on resume).</summary>
    private void StartEpisode()
    {
        _episodeSeed = _episodeSeeds.NextUInt64();
        _env.Reset(_obs, _episodeSeed);
        _episodeActions.Clear();
        _episodeReturn = _episodeLossSum = 0;
        _episodeUpdates = 0;
        _episodeRunning = true;
    }

    private void EndEpisode(double epsilon, Stopwatch clock)
    {
        _episodes++;
        double loss = _episodeUpdates > 0 ? _episodeLossSum / _episodeUpdates : double.NaN;
        Metrics.AddEpisode(new EpisodeRecord(_step, _episodes, _episodeReturn, _episodeActions.Count, epsilon, loss, Elapsed(clock)));
        _recentReturns.Add(_episodeReturn);
        _episodeRunning = false;
    }

    private double Elapsed(Stopwatch clock) => (_elapsedBefore + clock.Elapsed).TotalSeconds;

    private TrainingProgress Snapshot(double epsilon, Stopwatch clock, RateMeter stepRate, RateMeter updateRate)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        var snapshot = new TrainingProgress
        {
            Step = _step,
            TotalSteps = Config.TotalTimesteps,
            Episodes = _episodes,
            RecentReturn = _recentReturns.Count > 0 ? _recentReturns.Value : null,
            RecentWindow = _recentReturns.Window,
            Epsilon = epsilon,
            Loss = _intervalUpdates > 0 ? _intervalLossSum / _intervalUpdates : _lastLoss,
            Updates = _updates,
            LastEvaluation = _lastEvaluation,
            SolvedAtStep = _solvedAtStep,
            EnvStepsPerSecond = stepRate.Rate(_step, seconds),
            UpdatesPerSecond = updateRate.Rate(_updates, seconds),
            Elapsed = _elapsedBefore + clock.Elapsed,
        };
        _lastLoss = snapshot.Loss;
        _intervalLossSum = 0;
        _intervalUpdates = 0;
        return snapshot;
    }

    private TrainingOutcome Outcome(bool finished, Stopwatch clock, EvaluationResult? final = null)
    {
        var elapsed = clock.Elapsed;
        var total = _elapsedBefore + elapsed;
        _elapsedBefore = total;
        return new TrainingOutcome
        {
            Finished = finished,
            Steps = _step,
            Episodes = _episodes,
            Updates = _updates,
            SolvedAtStep = _solvedAtStep,
            SolvedAtSeconds = _solvedAtSeconds,
            BestEvaluation = _bestEvaluation,
            FinalEvaluation = final,
            Elapsed = total,
            Time = new TimeBreakdown
            {
                Acting = Stopwatch.GetElapsedTime(0, _tActing),
                Environment = Stopwatch.GetElapsedTime(0, _tEnvironment),
                Storing = Stopwatch.GetElapsedTime(0, _tStoring),
                Updates = Stopwatch.GetElapsedTime(0, _tUpdates),
                TargetUpdates = Stopwatch.GetElapsedTime(0, _tTarget),
                Evaluation = Stopwatch.GetElapsedTime(0, _tEvaluation),
                Total = elapsed,
            },
        };
    }

    public void SaveModel(string path, bool best, IReadOnlyDictionary<string, string> metadata)
    {
        var all = new Dictionary<string, string>(metadata)
        {
            ["step"] = _step.ToString(CultureInfo.InvariantCulture),
        };
        if (best && _bestEvaluation is { } b)
        {
            all["eval_step"] = b.Step.ToString(CultureInfo.InvariantCulture);
            all["eval_mean_return"] = b.Mean.ToString("R", CultureInfo.InvariantCulture);
        }
        ModelFile.SaveNetwork(path, best ? _best : _q, Config.Dueling, all);
    }
}
