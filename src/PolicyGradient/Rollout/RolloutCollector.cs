using CartPole;
using TinyTorch;
using TinyTorch.Distributions;

namespace PolicyGradient.Rollout;

/// <summary>
/// Plays the agent's stochastic policy on a <see cref="CartPoleVectorEnv"/> and records a rollout, as the first loop of
/// CleanRL ppo.py's iteration does: at each step, with no graph, the logits and V(s) of the current observations, an
/// action sampled from π(·|s) and its log-probability, then one vector-env step. The env must auto-reset in
/// <see cref="AutoresetMode.SameStep"/> mode (gym 0.2x, CleanRL's), so that every step is a real transition; where an
/// episode hits the time limit, the critic also rates its true final observation (for <see cref="Gae"/>'s bootstrap).
/// The observation buffers are allocated once; the forward passes allocate their tensors.
/// </summary>
public sealed class RolloutCollector
{
    private readonly CartPoleVectorEnv _env;
    private readonly Rng _rng;
    private readonly Tensor _observations;
    private readonly Tensor _finalObservations;
    private readonly float[] _rewards;
    private readonly bool[] _terminated, _truncated;
    private readonly int[] _actions;
    private bool _started;

    /// <param name="env">The environments, in <see cref="AutoresetMode.SameStep"/> mode.</param>
    /// <param name="rng">The source of the sampled actions.</param>
    /// <exception cref="ArgumentException">When the env auto-resets on the next step.</exception>
    public RolloutCollector(CartPoleVectorEnv env, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(rng);
        if (env.Autoreset != AutoresetMode.SameStep)
            throw new ArgumentException($"RolloutCollector needs a vector env in SameStep autoreset mode (every step a real transition), got {env.Autoreset}.", nameof(env));
        _env = env;
        _rng = rng;
        int n = env.NumEnvs, d = env.ObservationSize;
        _observations = Torch.Zeros(n, d);
        _finalObservations = Torch.Zeros(n, d);
        _rewards = new float[n];
        _terminated = new bool[n];
        _truncated = new bool[n];
        _actions = new int[n];
    }

    /// <summary>Resets every environment from <paramref name="seed"/>; the next <see cref="Collect"/> starts from there.</summary>
    public void Reset(ulong seed)
    {
        _env.Reset(_observations.Data, seed);
        _started = true;
    }

    /// <summary>
    /// Steps the environments with recorded actions, N per step (row-major [steps, N]), without the agent: after
    /// <see cref="Reset"/> with the same seed, this brings every environment back to where a run that took these actions
    /// left it (resuming from a checkpoint).
    /// </summary>
    /// <exception cref="InvalidOperationException">Before <see cref="Reset"/>.</exception>
    /// <exception cref="ArgumentException">When the actions are not whole steps of N, or one is not an action of the env.</exception>
    public void Replay(ReadOnlySpan<int> actions)
    {
        if (!_started)
            throw new InvalidOperationException("RolloutCollector: call Reset(seed) before Replay.");
        int n = _env.NumEnvs;
        if (actions.Length % n != 0)
            throw new ArgumentException($"RolloutCollector.Replay: {actions.Length} actions are not whole steps of {n} environments.", nameof(actions));
        for (int k = 0; k < actions.Length; k += n)
            _env.Step(actions.Slice(k, n), _observations.Data, _rewards, _terminated, _truncated);
    }

    /// <summary>Fills <paramref name="buffer"/> with the next T steps of every environment, continuing where the last call stopped.</summary>
    /// <exception cref="InvalidOperationException">Before <see cref="Reset"/>.</exception>
    /// <exception cref="ArgumentException">When the buffer's sizes differ from the env's or the agent's.</exception>
    public void Collect(Agent agent, RolloutBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(buffer);
        if (!_started)
            throw new InvalidOperationException("RolloutCollector: call Reset(seed) before the first Collect.");
        int n = _env.NumEnvs, d = _env.ObservationSize;
        if (buffer.NumEnvs != n || buffer.ObservationSize != d || agent.ObservationSize != d)
            throw new ArgumentException($"RolloutCollector: the buffer holds {buffer.NumEnvs} envs × {buffer.ObservationSize} values and the agent reads {agent.ObservationSize}, but the env has {n} envs × {d} values.");

        using (Torch.NoGrad())
        {
            for (int t = 0; t < buffer.NumSteps; t++)
            {
                int row = t * n;
                _observations.Data.CopyTo(buffer.Observations, row * d);
                // π(·|sₜ), a ~ π(·|sₜ), log π(a|sₜ), V(sₜ)
                var policy = new Categorical(agent.Actor.Forward(_observations));
                policy.Sample(_rng, _actions);
                policy.LogProb(_actions).Data.CopyTo(buffer.LogProbs, row);
                agent.GetValue(_observations).Data.CopyTo(buffer.Values, row);
                _actions.CopyTo(buffer.Actions, row);

                _env.Step(_actions, _observations.Data, _rewards, _terminated, _truncated);
                _rewards.CopyTo(buffer.Rewards, row);
                _terminated.CopyTo(buffer.Terminated, row);
                _truncated.CopyTo(buffer.Truncated, row);
                RateFinalObservations(agent, buffer.FinalValues.AsSpan(row, n));
            }
            // V(s_T): the bootstrap of the episodes still running
            agent.GetValue(_observations).Data.CopyTo(buffer.NextValues, 0);
        }
    }

    /// <summary>V(final observation) for each env whose episode was truncated (not terminated) on this step; 0 elsewhere.</summary>
    private void RateFinalObservations(Agent agent, Span<float> finalValues)
    {
        finalValues.Clear();
        bool any = false;
        for (int i = 0; i < _truncated.Length; i++)
            any |= _truncated[i] && !_terminated[i];
        if (!any)
            return;
        _env.FinalObservations.CopyTo(_finalObservations.Data);
        float[] values = agent.GetValue(_finalObservations).Data;
        for (int i = 0; i < _truncated.Length; i++)
            if (_truncated[i] && !_terminated[i])
                finalValues[i] = values[i];
    }
}
