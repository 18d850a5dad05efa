using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TinyTorch;

namespace CartPole;

/// <summary>
/// N CartPole-v1 environments stepped together: the state in struct-of-arrays form (one float64 array per component), the
/// arithmetic in <see cref="Vector512"/> or <see cref="Vector256"/> lanes with a scalar tail. Sub-environment i produces
/// bit for bit what a <see cref="CartPoleEnv"/> reset with <see cref="SubEnvSeed"/>(seed, i) produces when it is reset
/// whenever its episode ends (see <see cref="AutoresetMode"/> for when that happens).
/// </summary>
/// <remarks>
/// <para><b>Exactness.</b> Every lane computes <see cref="CartPolePhysics.Step"/>'s expression tree with the same
/// float64 operations in the same order: separate vector multiplies, adds and divides (no fused multiply-add), and sin
/// and cos from <see cref="Math.Sin"/> and <see cref="Math.Cos"/> per lane. A vectorised sin/cos
/// (<c>TensorPrimitives.Sin</c>/<c>Cos</c>) is 4–5× faster but differs from the C library in the last bit for about
/// 0.5% of angles in ±0.25 rad, which on this unstable system grows into different episodes; see docs/CARTPOLE.md.</para>
/// <para><b>Layout.</b> Observations are row-major [N, 4] (sub-environment i at 4i … 4i+3) so they can be fed to a
/// network as a batch; actions, rewards and flags have one entry per sub-environment.</para>
/// <para><b>Seeding.</b> Sub-environment i owns an <see cref="Rng"/> seeded with <see cref="SubEnvSeed"/>(seed, i), the
/// (i+1)-th output of <c>new Rng(seed)</c>: streams are independent and a different master seed gives different streams
/// (unlike Gymnasium's <c>seed + i</c>, where seeds 0 and 1 share all but one sub-environment). Before the first seeded
/// reset the master seed is 0. Steps never allocate.</para>
/// </remarks>
public sealed class CartPoleVectorEnv
{
    private readonly int _maxEpisodeSteps;
    private readonly CartPoleIntegrator _integrator;
    private readonly bool _suttonBarto;

    // State, one float64 array per component (struct of arrays), so that a vector load takes one component of many envs.
    private readonly double[] _x, _xDot, _theta, _thetaDot;

    // Per-step inputs computed per lane before the vector pass: the force of the action, sin θ and cos θ.
    private readonly double[] _force, _sin, _cos;

    private readonly int[] _elapsed;
    private readonly bool[] _resetPending; // NextStep: the episode ended on the previous step
    private readonly float[] _finalObservations; // SameStep: the last observation of an episode that just ended
    private readonly Rng[] _rngs;
    private bool _isReset;

    public CartPoleVectorEnv(int numEnvs, CartPoleOptions? options = null, AutoresetMode autoreset = AutoresetMode.NextStep)
    {
        if (numEnvs < 1)
            throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, $"CartPole: numEnvs must be at least 1, got {numEnvs}.");
        if (!Enum.IsDefined(autoreset))
            throw new ArgumentOutOfRangeException(nameof(autoreset), autoreset, $"CartPole: unknown autoreset mode {(int)autoreset}.");
        Options = options ?? CartPoleOptions.Default;
        Options.Validate();
        _maxEpisodeSteps = Options.MaxEpisodeSteps;
        _integrator = Options.Integrator;
        _suttonBarto = Options.SuttonBartoReward;
        Autoreset = autoreset;
        NumEnvs = numEnvs;

        _x = new double[numEnvs];
        _xDot = new double[numEnvs];
        _theta = new double[numEnvs];
        _thetaDot = new double[numEnvs];
        _force = new double[numEnvs];
        _sin = new double[numEnvs];
        _cos = new double[numEnvs];
        _elapsed = new int[numEnvs];
        _resetPending = new bool[numEnvs];
        _finalObservations = new float[autoreset == AutoresetMode.SameStep ? 4 * numEnvs : 0];
        _rngs = new Rng[numEnvs];
        SeedAll(0);
    }

    public int NumEnvs { get; }

    public int ObservationSize => 4;

    public int ActionCount => 2;

    public CartPoleOptions Options { get; }

    public AutoresetMode Autoreset { get; }

    /// <summary>
    /// <see cref="AutoresetMode.SameStep"/> only: row-major [N, 4]; row i holds the last observation of the episode that
    /// sub-environment i ended on the latest step (meaningful only where that step returned terminated or truncated).
    /// </summary>
    public ReadOnlySpan<float> FinalObservations => _finalObservations;

    /// <summary>The seed of sub-environment <paramref name="index"/> under master seed <paramref name="seed"/>: the (index+1)-th output of <c>new Rng(seed)</c>.</summary>
    public static ulong SubEnvSeed(ulong seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var master = new Rng(seed);
        ulong s = master.NextUInt64();
        for (int i = 0; i < index; i++)
            s = master.NextUInt64();
        return s;
    }

    /// <summary>The current float64 state of sub-environment <paramref name="index"/>.</summary>
    public CartPoleState GetState(int index) => new(_x[index], _xDot[index], _theta[index], _thetaDot[index]);

    /// <summary>Steps taken in sub-environment <paramref name="index"/>'s current episode.</summary>
    public int GetElapsedSteps(int index) => _elapsed[index];

    /// <summary>
    /// Starts a new episode in every sub-environment and writes the observations ([N, 4]). With a seed, every
    /// sub-environment's RNG is first reseeded from it (<see cref="SubEnvSeed"/>); without, each continues its stream.
    /// </summary>
    public void Reset(Span<float> observations, ulong? seed = null)
    {
        CheckLength(observations.Length, 4 * NumEnvs, nameof(observations));
        if (seed is { } s)
            SeedAll(s);
        for (int i = 0; i < NumEnvs; i++)
        {
            StartEpisode(i);
            _resetPending[i] = false;
            WriteObservation(i, observations);
        }
        _isReset = true;
    }

    /// <summary>
    /// Steps every sub-environment with its action (0 or 1) and writes the observations ([N, 4]), rewards and flags, with
    /// auto-reset as set by <see cref="Autoreset"/>. All actions are checked before any state changes.
    /// </summary>
    public void Step(ReadOnlySpan<int> actions, Span<float> observations, Span<float> rewards, Span<bool> terminated, Span<bool> truncated)
    {
        int n = NumEnvs;
        CheckLength(actions.Length, n, nameof(actions));
        CheckLength(observations.Length, 4 * n, nameof(observations));
        CheckLength(rewards.Length, n, nameof(rewards));
        CheckLength(terminated.Length, n, nameof(terminated));
        CheckLength(truncated.Length, n, nameof(truncated));
        if (!_isReset)
            ThrowNotReset();

        PrepareLanes(actions);
        if (_integrator == CartPoleIntegrator.Euler)
            Integrate<EulerRule>();
        else
            Integrate<SemiImplicitRule>();
        FinishStep(observations, rewards, terminated, truncated);
    }

    /// <summary>
    /// Pass 1, per lane: checks the actions and computes what the vector pass cannot compute exactly in lanes: the force
    /// and the C library's sin θ and cos θ. Lanes waiting for a NextStep reset are skipped (their step is discarded).
    /// </summary>
    private void PrepareLanes(ReadOnlySpan<int> actions)
    {
        for (int i = 0; i < actions.Length; i++)
        {
            int a = actions[i];
            if ((uint)a > 1)
                ThrowBadAction(i, a);
        }
        double[] force = _force, sin = _sin, cos = _cos, theta = _theta;
        bool[] pending = _resetPending;
        for (int i = 0; i < force.Length; i++)
        {
            force[i] = CartPolePhysics.Force(actions[i]);
            if (pending[i])
            {
                sin[i] = 0.0;
                cos[i] = 1.0;
            }
            else
            {
                sin[i] = Math.Sin(theta[i]);
                cos[i] = Math.Cos(theta[i]);
            }
        }
    }

    /// <summary>
    /// Pass 2, in vector lanes: the equations of <see cref="CartPolePhysics.Step"/> with the same operations in the same
    /// order (see there for the formulas), then the integrator <typeparamref name="TRule"/>.
    /// </summary>
    private void Integrate<TRule>() where TRule : struct, IIntegrationRule
    {
        int n = NumEnvs;
        ref double x = ref MemoryMarshal.GetArrayDataReference(_x);
        ref double xDot = ref MemoryMarshal.GetArrayDataReference(_xDot);
        ref double theta = ref MemoryMarshal.GetArrayDataReference(_theta);
        ref double thetaDot = ref MemoryMarshal.GetArrayDataReference(_thetaDot);
        ref double force = ref MemoryMarshal.GetArrayDataReference(_force);
        ref double sin = ref MemoryMarshal.GetArrayDataReference(_sin);
        ref double cos = ref MemoryMarshal.GetArrayDataReference(_cos);
        int i = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            var pml = Vector512.Create(CartPolePhysics.PoleMassLength);
            var totalMass = Vector512.Create(CartPolePhysics.TotalMass);
            var gravity = Vector512.Create(CartPolePhysics.Gravity);
            var length = Vector512.Create(CartPolePhysics.Length);
            var fourThirds = Vector512.Create(4.0 / 3.0);
            var massPole = Vector512.Create(CartPolePhysics.MassPole);
            var tau = Vector512.Create(CartPolePhysics.Tau);
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var s = Vector512.LoadUnsafe(ref sin, (nuint)i);
                var c = Vector512.LoadUnsafe(ref cos, (nuint)i);
                var td = Vector512.LoadUnsafe(ref thetaDot, (nuint)i);
                var f = Vector512.LoadUnsafe(ref force, (nuint)i);
                var temp = (f + pml * (td * td) * s) / totalMass;
                var thetaAcc = (gravity * s - c * temp) / (length * (fourThirds - massPole * (c * c) / totalMass));
                var xAcc = temp - pml * thetaAcc * c / totalMass;
                TRule.Integrate(ref x, ref xDot, ref theta, ref thetaDot, i, xAcc, thetaAcc, tau);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var pml = Vector256.Create(CartPolePhysics.PoleMassLength);
            var totalMass = Vector256.Create(CartPolePhysics.TotalMass);
            var gravity = Vector256.Create(CartPolePhysics.Gravity);
            var length = Vector256.Create(CartPolePhysics.Length);
            var fourThirds = Vector256.Create(4.0 / 3.0);
            var massPole = Vector256.Create(CartPolePhysics.MassPole);
            var tau = Vector256.Create(CartPolePhysics.Tau);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var s = Vector256.LoadUnsafe(ref sin, (nuint)i);
                var c = Vector256.LoadUnsafe(ref cos, (nuint)i);
                var td = Vector256.LoadUnsafe(ref thetaDot, (nuint)i);
                var f = Vector256.LoadUnsafe(ref force, (nuint)i);
                var temp = (f + pml * (td * td) * s) / totalMass;
                var thetaAcc = (gravity * s - c * temp) / (length * (fourThirds - massPole * (c * c) / totalMass));
                var xAcc = temp - pml * thetaAcc * c / totalMass;
                TRule.Integrate(ref x, ref xDot, ref theta, ref thetaDot, i, xAcc, thetaAcc, tau);
            }
        }
        for (; i < n; i++)
        {
            var next = CartPolePhysics.Step(GetState(i), _force[i], _integrator);
            (_x[i], _xDot[i], _theta[i], _thetaDot[i]) = (next.X, next.XDot, next.Theta, next.ThetaDot);
        }
    }

    /// <summary>Pass 3, per lane: step counts, termination, truncation, rewards, observations and auto-resets.</summary>
    private void FinishStep(Span<float> observations, Span<float> rewards, Span<bool> terminated, Span<bool> truncated)
    {
        bool sameStep = Autoreset == AutoresetMode.SameStep;
        for (int i = 0; i < NumEnvs; i++)
        {
            if (_resetPending[i])
            {
                // NextStep: the step after the end of an episode is the reset: reward 0, flags false.
                StartEpisode(i);
                _resetPending[i] = false;
                rewards[i] = 0f;
                terminated[i] = false;
                truncated[i] = false;
                WriteObservation(i, observations);
                continue;
            }

            int elapsed = ++_elapsed[i];
            bool term = _x[i] < -CartPolePhysics.XThreshold || _x[i] > CartPolePhysics.XThreshold
                        || _theta[i] < -CartPolePhysics.ThetaThresholdRadians || _theta[i] > CartPolePhysics.ThetaThresholdRadians;
            bool trunc = elapsed >= _maxEpisodeSteps;
            rewards[i] = CartPolePhysics.Reward(term, _suttonBarto);
            terminated[i] = term;
            truncated[i] = trunc;
            if (term || trunc)
            {
                if (sameStep)
                {
                    WriteObservation(i, _finalObservations);
                    StartEpisode(i);
                }
                else
                {
                    _resetPending[i] = true;
                }
            }
            WriteObservation(i, observations);
        }
    }

    private void SeedAll(ulong seed)
    {
        var master = new Rng(seed);
        for (int i = 0; i < _rngs.Length; i++)
            _rngs[i] = new Rng(master.NextUInt64());
    }

    private void StartEpisode(int i)
    {
        var s = CartPoleEnv.DrawStartState(_rngs[i]);
        (_x[i], _xDot[i], _theta[i], _thetaDot[i]) = (s.X, s.XDot, s.Theta, s.ThetaDot);
        _elapsed[i] = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteObservation(int i, Span<float> observations)
    {
        var row = observations.Slice(4 * i, 4);
        row[3] = (float)_thetaDot[i];
        row[0] = (float)_x[i];
        row[1] = (float)_xDot[i];
        row[2] = (float)_theta[i];
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
            ThrowBadLength(actual, expected, name);
    }

    [DoesNotReturn]
    private static void ThrowBadLength(int actual, int expected, string name) =>
        throw new ArgumentException($"CartPole: {name} must have length {expected}, got {actual}.", name);

    [DoesNotReturn]
    private static void ThrowBadAction(int index, int action) =>
        throw new ArgumentOutOfRangeException("actions", action,
            $"CartPole: actions[{index}] must be 0 (push left) or 1 (push right), got {action}; no environment was stepped.");

    [DoesNotReturn]
    private static void ThrowNotReset() =>
        throw new InvalidOperationException("CartPole: Step was called before Reset; call Reset to start the episodes.");
}
