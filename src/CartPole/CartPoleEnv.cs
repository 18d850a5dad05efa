using System.Diagnostics.CodeAnalysis;
using CartPole.Seeding;

namespace CartPole;

/// <summary>
/// Gymnasium's CartPole-v1 (<c>gym.make("CartPole-v1")</c>: the environment inside its <c>TimeLimit</c> wrapper),
/// bit-exact in its dynamics (see <see cref="CartPolePhysics"/> for the precision contract).
/// </summary>
/// <remarks>
/// <para>Start states are drawn as Gymnasium draws them: <c>reset(seed=s)</c> installs <c>np.random.Generator(PCG64(s))</c>
/// (<see cref="NumPyGenerator.FromSeed"/>) and the start state is <c>uniform(-0.05, 0.05, size=4)</c>, so
/// <c>Reset(obs, 42)</c> gives exactly Gymnasium's first observation for seed 42, and every step from there is identical.
/// An environment never reset with a seed draws as if seeded with 0 (Gymnasium would seed from the OS).</para>
/// <para>Gymnasium lets a step after termination run (with reward 0 and a warning); here it throws, as does a step
/// before the first reset and an action other than 0 or 1. Steps never allocate.</para>
/// </remarks>
public sealed class CartPoleEnv : IEnvironment
{
    private readonly int _maxEpisodeSteps;
    private readonly CartPoleIntegrator _integrator;
    private readonly bool _suttonBarto;
    private NumPyGenerator _npRandom = NumPyGenerator.FromSeed(0);
    private CartPoleState _state;
    private int _elapsedSteps;
    private Phase _phase = Phase.NotReset;

    private enum Phase { NotReset, Running, Terminated, Truncated }

    /// <summary>A CartPole-v1 environment with <paramref name="options"/> (default: Gymnasium's, a 500-step limit).</summary>
    /// <exception cref="ArgumentException">When <paramref name="options"/> is invalid (<see cref="CartPoleOptions.Validate"/>).</exception>
    public CartPoleEnv(CartPoleOptions? options = null)
    {
        Options = options ?? CartPoleOptions.Default;
        Options.Validate();
        _maxEpisodeSteps = Options.MaxEpisodeSteps;
        _integrator = Options.Integrator;
        _suttonBarto = Options.SuttonBartoReward;
    }

    /// <summary>The options this environment was made with.</summary>
    public CartPoleOptions Options { get; }

    /// <summary>4: x, ẋ, θ, θ̇ as float32.</summary>
    public int ObservationSize => 4;

    /// <summary>2: 0 pushes the cart left, 1 pushes it right.</summary>
    public int ActionCount => 2;

    /// <summary>The current float64 state (the start state right after a reset).</summary>
    public CartPoleState State => _state;

    /// <summary>Steps taken since the last reset.</summary>
    public int ElapsedSteps => _elapsedSteps;

    /// <summary>True between a reset and the step that terminates or truncates the episode.</summary>
    public bool IsRunning => _phase == Phase.Running;

    /// <summary>
    /// Draws a start state from U(−0.05, 0.05)⁴ (x, ẋ, θ, θ̇ in that order) and writes its observation. With a seed the
    /// generator is first replaced by <see cref="NumPyGenerator.FromSeed"/>(seed), as Gymnasium's <c>reset(seed=seed)</c>
    /// does; without, it continues its stream.
    /// </summary>
    public void Reset(Span<float> observation, ulong? seed = null)
    {
        CheckObservation(observation);
        if (seed is { } s)
            _npRandom = NumPyGenerator.FromSeed(s);
        Start(DrawStartState(_npRandom), observation);
    }

    /// <summary>Starts an episode from exactly <paramref name="state"/> (for study and tests; no random draw).</summary>
    public void ResetTo(CartPoleState state, Span<float> observation)
    {
        CheckObservation(observation);
        if (!state.IsFinite)
            throw new ArgumentException($"CartPole: the start state must be finite, got {state}.", nameof(state));
        Start(state, observation);
    }

    /// <summary>
    /// Pushes the cart with force −10 N (action 0) or +10 N (action 1) for τ = 0.02 s, writes the next observation and
    /// returns the reward (1 per step; see <see cref="CartPoleOptions.SuttonBartoReward"/>) with Gymnasium's flags:
    /// terminated when |x| &gt; 2.4 m or |θ| &gt; 12°, truncated at <see cref="CartPoleOptions.MaxEpisodeSteps"/>.
    /// </summary>
    /// <param name="action">0 (push left) or 1 (push right).</param>
    /// <param name="observation">Receives the next observation (x, ẋ, θ, θ̇); length 4.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="action"/> is not 0 or 1.</exception>
    /// <exception cref="ArgumentException">When <paramref name="observation"/> does not have length 4.</exception>
    /// <exception cref="InvalidOperationException">Before the first reset, or after the episode ended (reset first).</exception>
    public StepResult Step(int action, Span<float> observation)
    {
        if ((uint)action > 1)
            ThrowBadAction(action);
        if (_phase != Phase.Running)
            ThrowNotRunning();
        CheckObservation(observation);

        _state = CartPolePhysics.Step(_state, CartPolePhysics.Force(action), _integrator);
        _elapsedSteps++;
        bool terminated = CartPolePhysics.IsTerminated(_state);
        bool truncated = _elapsedSteps >= _maxEpisodeSteps;
        if (terminated)
            _phase = Phase.Terminated;
        else if (truncated)
            _phase = Phase.Truncated;
        _state.WriteObservation(observation);
        return new StepResult(CartPolePhysics.Reward(terminated, _suttonBarto), terminated, truncated);
    }

    /// <summary>
    /// Gymnasium's <c>self.np_random.uniform(low=-0.05, high=0.05, size=(4,))</c>: four draws in state order. Shared with
    /// the vector environment, so both consume a generator identically.
    /// </summary>
    internal static CartPoleState DrawStartState(NumPyGenerator rng)
    {
        const double low = -CartPolePhysics.ResetBound, high = CartPolePhysics.ResetBound;
        double x = rng.Uniform(low, high);
        double xDot = rng.Uniform(low, high);
        double theta = rng.Uniform(low, high);
        double thetaDot = rng.Uniform(low, high);
        return new CartPoleState(x, xDot, theta, thetaDot);
    }

    private void Start(CartPoleState state, Span<float> observation)
    {
        _state = state;
        _elapsedSteps = 0;
        _phase = Phase.Running;
        state.WriteObservation(observation);
    }

    private static void CheckObservation(Span<float> observation)
    {
        if (observation.Length != 4)
            ThrowBadObservation(observation.Length);
    }

    [DoesNotReturn]
    private static void ThrowBadAction(int action) =>
        throw new ArgumentOutOfRangeException(nameof(action), action,
            $"CartPole: action must be 0 (push left) or 1 (push right), got {action}.");

    [DoesNotReturn]
    private static void ThrowBadObservation(int length) =>
        throw new ArgumentException($"CartPole: the observation span must have length 4, got {length}.", "observation");

    [DoesNotReturn]
    private void ThrowNotRunning() =>
        throw new InvalidOperationException(_phase switch
        {
            Phase.NotReset => "CartPole: Step was called before Reset; call Reset (or ResetTo) to start an episode.",
            Phase.Terminated => $"CartPole: Step was called after the episode terminated at step {_elapsedSteps} " +
                                $"(state {_state}); call Reset to start a new episode.",
            _ => $"CartPole: Step was called after the episode was truncated at step {_elapsedSteps} " +
                 $"(the limit is {_maxEpisodeSteps}); call Reset to start a new episode.",
        });
}
