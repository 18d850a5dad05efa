using CartPole;
using PolicyGradient.Rollout;
using PolicyGradient.Update;
using TinyTorch;
using TinyTorch.Optim;

namespace PolicyGradient.Training;

/// <summary>
/// CleanRL ppo.py's outer loop on a <see cref="CartPoleVectorEnv"/>, one iteration per <see cref="Iterate"/>: anneal the
/// learning rate, collect a rollout with the current policy, compute GAE, then the epochs of minibatch updates. Run
/// folders, evaluation and reports are the caller's. Everything random flows from <see cref="PpoConfig.Seed"/>: the
/// agent's initialisation, the environments' resets, the sampled actions and the minibatch shuffles each get their own
/// stream forked from it, in that order.
/// </summary>
public sealed class PpoLearner
{
    private readonly PpoConfig _config;
    private readonly PpoLossConfig _lossConfig;
    private readonly RolloutCollector _collector;
    private readonly RolloutBuffer _buffer;
    private readonly PpoEpochs _epochs;
    private readonly LinearLrSchedule _schedule;
    private readonly Rng _shuffleRng;
    private readonly float[] _runningReturns;

    /// <exception cref="ArgumentException">When <paramref name="config"/> is invalid.</exception>
    public PpoLearner(PpoConfig config, CartPoleOptions? envOptions = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _config = config;
        _lossConfig = config.LossConfig;
        var rng = new Rng(config.Seed);
        var env = new CartPoleVectorEnv(config.NumEnvs, envOptions, AutoresetMode.SameStep);
        Agent = Agent.Create(env.ObservationSize, env.ActionCount, rng.Fork(), config.HiddenSizes);
        // one Adam over the actor's and the critic's parameters
        Optimizer = new Adam(Agent.Parameters(), config.LearningRate, eps: config.AdamEps);
        ulong envSeed = rng.NextUInt64();
        _collector = new RolloutCollector(env, rng.Fork());
        _shuffleRng = rng.Fork();
        _collector.Reset(envSeed);
        _buffer = new RolloutBuffer(config.NumSteps, config.NumEnvs, env.ObservationSize);
        _epochs = new PpoEpochs(config.BatchSize, config.NumMinibatches, env.ObservationSize);
        _schedule = new LinearLrSchedule(config.LearningRate, config.NumIterations);
        _runningReturns = new float[config.NumEnvs];
    }

    /// <summary>The actor and critic being trained (CleanRL's keys; save with <see cref="PolicyGradient.Agent.Save"/>).</summary>
    public Agent Agent { get; }

    /// <summary>The one Adam over both networks.</summary>
    public Adam Optimizer { get; }

    /// <summary>Iterations done so far.</summary>
    public int Iteration { get; private set; }

    /// <summary>Environment steps taken so far, over all envs.</summary>
    public long EnvSteps { get; private set; }

    /// <summary>The last rollout, with its advantages (read-only use).</summary>
    public RolloutBuffer Buffer => _buffer;

    /// <summary>Runs the next iteration.</summary>
    /// <exception cref="InvalidOperationException">After the last of <see cref="PpoConfig.NumIterations"/>.</exception>
    public PpoIterationResult Iterate()
    {
        if (Iteration >= _config.NumIterations)
            throw new InvalidOperationException($"PpoLearner: all {_config.NumIterations} iterations are done.");
        int iteration = ++Iteration;
        // lr_i = (1 − (i − 1)/N)·lr₀
        if (_config.AnnealLr)
            _schedule.Apply(Optimizer, iteration);

        _collector.Collect(Agent, _buffer);
        EnvSteps += _buffer.Size;
        float[] episodeReturns = FinishedEpisodeReturns();

        // Â and R = Â + V by GAE(γ, λ)
        _buffer.ComputeAdvantages((float)_config.Gamma, (float)_config.GaeLambda, _config.BootstrapTruncation);
        var (stats, epochsRun) = _epochs.Run(Agent, Optimizer, _buffer, _lossConfig, _config.UpdateEpochs, _shuffleRng, _config.TargetKl);
        return new PpoIterationResult(iteration, Optimizer.Lr, EnvSteps, episodeReturns, stats, epochsRun);
    }

    /// <summary>The undiscounted returns of the episodes that ended in the last rollout, in the order they ended.</summary>
    private float[] FinishedEpisodeReturns()
    {
        var returns = new List<float>();
        int n = _buffer.NumEnvs;
        for (int k = 0; k < _buffer.Size; k++)
        {
            _runningReturns[k % n] += _buffer.Rewards[k];
            if (_buffer.Terminated[k] || _buffer.Truncated[k])
            {
                returns.Add(_runningReturns[k % n]);
                _runningReturns[k % n] = 0;
            }
        }
        return [.. returns];
    }
}
