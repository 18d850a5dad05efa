using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CartPole.Seeding;

namespace CartPole;

/// <summary>
/// N CartPole-v1 environments stepped together: the state in struct-of-arrays form (one float64 array per component), the
/// arithmetic in 512-, 256- or 128-bit vector lanes (one step generic over <see cref="ILanes{TSelf}"/>) with a scalar
/// tail. Sub-environment i produces bit for bit what a <see cref="CartPoleEnv"/> reset with <see cref="SubEnvSeed"/>(seed, i) produces when it is reset
/// whenever its episode ends (see <see cref="AutoresetMode"/> for when that happens).
/// </summary>
/// <remarks>
/// <para><b>Exactness.</b> Every lane computes <see cref="CartPolePhysics.Step"/>'s expression tree with the same
/// float64 operations in the same order: separate vector multiplies, adds and divides (no fused multiply-add), and sin
/// and cos per lane with the bits of <see cref="Math.Sin"/> and <see cref="Math.Cos"/> (<see cref="ExactSinCos"/>: one
/// <see cref="Math.SinCos"/> call where the C library shares their code). A vectorised sin/cos
/// (<c>TensorPrimitives.Sin</c>/<c>Cos</c>) is several times faster but differs from the C library in the last bit for
/// about 0.5% of angles in ±0.25 rad, which on this unstable system grows into different episodes; see docs/CARTPOLE.md.</para>
/// <para><b>Layout.</b> Observations are row-major [N, 4] (sub-environment i at 4i … 4i+3) so they can be fed to a
/// network as a batch; actions, rewards and flags have one entry per sub-environment.</para>
/// <para><b>Seeding.</b> As Gymnasium's <c>SyncVectorEnv.reset(seed=s)</c>: sub-environment i owns its own
/// <see cref="NumPyGenerator"/>, seeded with <see cref="SubEnvSeed"/>(s, i) = s + i, so row i is what
/// <c>gym.make("CartPole-v1").reset(seed=s + i)</c> returns; auto-resets continue each sub-environment's stream.
/// Neighbouring master seeds share sub-environments (s + 1 starts where s's second sub-environment does), as in
/// Gymnasium. Before the first seeded reset the master seed is 0. Steps never allocate.</para>
/// </remarks>
public sealed class CartPoleVectorEnv
{
    private readonly int _maxEpisodeSteps;
    private readonly CartPoleIntegrator _integrator;
    private readonly float _aliveReward, _endReward;

    // State, one float64 array per component (struct of arrays), so that a vector load takes one component of many envs.
    private readonly double[] _x, _xDot, _theta, _thetaDot;

    // Per-step inputs computed per lane before the vector pass: the force of the action, sin θ and cos θ.
    private readonly double[] _force, _sin, _cos;

    private readonly int[] _elapsed;
    private readonly bool[] _resetPending; // NextStep: the episode ended on the previous step
    private readonly float[] _finalObservations; // SameStep: the last observation of an episode that just ended
    private readonly NumPyGenerator[] _rngs;
    private bool _isReset;

    /// <summary>Byte j of entry b is 1 when bit j of b is set: 8 lane flags to 8 bools in one store.</summary>
    private static readonly ulong[] BitsToBools = BuildBitsToBools();

    // Row-major [4 lanes, 4 components] from a = (x0..x7, ẋ0..ẋ7) and b = (θ0..θ7, θ̇0..θ̇7); indices 16+ pick from b.
    private static readonly Vector512<int> RowsLow = Vector512.Create(0, 8, 16, 24, 1, 9, 17, 25, 2, 10, 18, 26, 3, 11, 19, 27);
    private static readonly Vector512<int> RowsHigh = Vector512.Create(4, 12, 20, 28, 5, 13, 21, 29, 6, 14, 22, 30, 7, 15, 23, 31);

    /// <summary><paramref name="numEnvs"/> CartPole-v1 environments stepped together, ending episodes per <paramref name="autoreset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="numEnvs"/> &lt; 1 or <paramref name="autoreset"/> is not a defined mode.</exception>
    /// <exception cref="ArgumentException">When <paramref name="options"/> is invalid.</exception>
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
        _aliveReward = CartPolePhysics.Reward(terminated: false, Options.SuttonBartoReward);
        _endReward = CartPolePhysics.Reward(terminated: true, Options.SuttonBartoReward);
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
        _rngs = new NumPyGenerator[numEnvs];
        SeedAll(0);
    }

    /// <summary>N, the number of sub-environments (rows of every batch).</summary>
    public int NumEnvs { get; }

    /// <summary>
    /// The widest vectors the step uses, in bits (512, 256, 128; below 128 every lane is stepped by
    /// <see cref="CartPolePhysics.Step"/>): by default the widest this CPU runs in hardware. Tests lower it to hold every
    /// width to the scalar environment on any machine (a width the CPU lacks is emulated by the runtime, exactly).
    /// </summary>
    internal int VectorBits { get; init; } =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;

    /// <summary>4: x, ẋ, θ, θ̇ as float32, per sub-environment.</summary>
    public int ObservationSize => 4;

    /// <summary>2: 0 pushes the cart left, 1 pushes it right.</summary>
    public int ActionCount => 2;

    /// <summary>The options every sub-environment uses.</summary>
    public CartPoleOptions Options { get; }

    /// <summary>When a sub-environment whose episode ended starts the next one.</summary>
    public AutoresetMode Autoreset { get; }

    /// <summary>
    /// <see cref="AutoresetMode.SameStep"/> only: row-major [N, 4]; row i holds the last observation of the episode that
    /// sub-environment i ended on the latest step (meaningful only where that step returned terminated or truncated).
    /// </summary>
    public ReadOnlySpan<float> FinalObservations => _finalObservations;

    /// <summary>
    /// The seed of sub-environment <paramref name="index"/> under master seed <paramref name="seed"/>: seed + index, as
    /// Gymnasium's vector environments seed theirs. Throws when the sum does not fit in 64 bits.
    /// </summary>
    public static ulong SubEnvSeed(ulong seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (seed > ulong.MaxValue - (ulong)index)
            throw new ArgumentOutOfRangeException(nameof(seed), seed,
                $"CartPole: the seed of sub-environment {index} is seed + {index}, which must fit in 64 bits; got seed {seed}.");
        return seed + (ulong)index;
    }

    /// <summary>The current float64 state of sub-environment <paramref name="index"/>.</summary>
    public CartPoleState GetState(int index) => new(_x[index], _xDot[index], _theta[index], _thetaDot[index]);

    /// <summary>Steps taken in sub-environment <paramref name="index"/>'s current episode.</summary>
    public int GetElapsedSteps(int index) => _elapsed[index];

    /// <summary>
    /// Starts a new episode in every sub-environment and writes the observations ([N, 4]). With a seed, every
    /// sub-environment's generator is first replaced, seeded with <see cref="SubEnvSeed"/>(seed, i) = seed + i; without, each continues its stream.
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
            Advance<EulerRule>(observations, rewards, terminated, truncated);
        else
            Advance<SemiImplicitRule>(observations, rewards, terminated, truncated);
    }

    /// <summary>
    /// Pass 1, per lane: checks the actions and computes what the vector pass cannot compute exactly in lanes: the force
    /// and the C library's sin θ and cos θ (<see cref="ExactSinCos"/>: the bits of Math.Sin and Math.Cos). Nothing here
    /// changes the state, so a bad action leaves every env as it was.
    /// </summary>
    private void PrepareLanes(ReadOnlySpan<int> actions)
    {
        double[] force = _force, sin = _sin, cos = _cos, theta = _theta;
        for (int i = 0; i < actions.Length; i++)
        {
            int a = actions[i];
            if ((uint)a > 1)
                ThrowBadAction(i, a);
            force[i] = CartPolePhysics.Force(a);
            ExactSinCos.Compute(theta[i], out sin[i], out cos[i]);
        }
    }

    /// <summary>
    /// Pass 2: the dynamics in vector lanes (<see cref="AdvanceLanes{TRule, TLanes}"/>), 8 lanes at a time with 512-bit
    /// vectors, then 4, then 2, as far as <see cref="VectorBits"/> allows; then the last lanes one at a time with
    /// <see cref="CartPolePhysics.Step"/> itself.
    /// </summary>
    private void Advance<TRule>(Span<float> observations, Span<float> rewards, Span<bool> terminated, Span<bool> truncated)
        where TRule : struct, IIntegrationRule
    {
        int i = 0;
        if (VectorBits >= 512)
            i = AdvanceLanes<TRule, Lanes512>(i, observations, rewards, terminated, truncated);
        if (VectorBits >= 256)
            i = AdvanceLanes<TRule, Lanes256>(i, observations, rewards, terminated, truncated);
        if (VectorBits >= 128)
            i = AdvanceLanes<TRule, Lanes128>(i, observations, rewards, terminated, truncated);
        for (; i < NumEnvs; i++)
        {
            var next = CartPolePhysics.Step(GetState(i), _force[i], _integrator);
            (_x[i], _xDot[i], _theta[i], _thetaDot[i]) = (next.X, next.XDot, next.Theta, next.ThetaDot);
            FinishLane(i, observations, rewards, terminated, truncated);
        }
    }

    /// <summary>
    /// The equations of <see cref="CartPolePhysics.Step"/> (see there for the formulas) with the same operations in the
    /// same order, <typeparamref name="TLanes"/>.Count environments at a time from <paramref name="start"/> while a whole
    /// vector fits, then the integrator <typeparamref name="TRule"/>, then the step's outputs. Returns where it stopped.
    /// </summary>
    private int AdvanceLanes<TRule, TLanes>(int start, Span<float> observations, Span<float> rewards, Span<bool> terminated, Span<bool> truncated)
        where TRule : struct, IIntegrationRule
        where TLanes : struct, ILanes<TLanes>
    {
        ref double xs = ref MemoryMarshal.GetArrayDataReference(_x);
        ref double xDots = ref MemoryMarshal.GetArrayDataReference(_xDot);
        ref double thetas = ref MemoryMarshal.GetArrayDataReference(_theta);
        ref double thetaDots = ref MemoryMarshal.GetArrayDataReference(_thetaDot);
        ref double forces = ref MemoryMarshal.GetArrayDataReference(_force);
        ref double sins = ref MemoryMarshal.GetArrayDataReference(_sin);
        ref double coss = ref MemoryMarshal.GetArrayDataReference(_cos);
        var pml = TLanes.Create(CartPolePhysics.PoleMassLength);
        var totalMass = TLanes.Create(CartPolePhysics.TotalMass);
        var gravity = TLanes.Create(CartPolePhysics.Gravity);
        var length = TLanes.Create(CartPolePhysics.Length);
        var fourThirds = TLanes.Create(4.0 / 3.0);
        var massPole = TLanes.Create(CartPolePhysics.MassPole);
        var tau = TLanes.Create(CartPolePhysics.Tau);
        int n = NumEnvs, i = start;
        for (; i <= n - TLanes.Count; i += TLanes.Count)
        {
            nuint at = (nuint)i;
            var s = TLanes.Load(ref sins, at);
            var c = TLanes.Load(ref coss, at);
            var f = TLanes.Load(ref forces, at);
            var x = TLanes.Load(ref xs, at);
            var xDot = TLanes.Load(ref xDots, at);
            var theta = TLanes.Load(ref thetas, at);
            var thetaDot = TLanes.Load(ref thetaDots, at);
            var temp = (f + pml * (thetaDot * thetaDot) * s) / totalMass;
            var thetaAcc = (gravity * s - c * temp) / (length * (fourThirds - massPole * (c * c) / totalMass));
            var xAcc = temp - pml * thetaAcc * c / totalMass;
            TRule.Integrate(ref x, ref xDot, ref theta, ref thetaDot, xAcc, thetaAcc, tau);
            TLanes.Store(x, ref xs, at);
            TLanes.Store(xDot, ref xDots, at);
            TLanes.Store(theta, ref thetas, at);
            TLanes.Store(thetaDot, ref thetaDots, at);
            if (typeof(TLanes) == typeof(Lanes512) && Avx512F.IsSupported)
            {
                FinishBlock(i, Unsafe.BitCast<TLanes, Lanes512>(x).Value, Unsafe.BitCast<TLanes, Lanes512>(xDot).Value,
                    Unsafe.BitCast<TLanes, Lanes512>(theta).Value, Unsafe.BitCast<TLanes, Lanes512>(thetaDot).Value,
                    observations, rewards, terminated, truncated);
            }
            else
            {
                for (int j = i; j < i + TLanes.Count; j++)
                    FinishLane(j, observations, rewards, terminated, truncated);
            }
        }
        return i;
    }

    /// <summary>
    /// The outputs of 8 lanes from their new state, in vector registers: step counts, termination (in float64, before
    /// rounding), truncation, rewards, flags and the [8, 4] observations; then the rare lanes whose episode ends or
    /// restarts go through <see cref="AutoReset"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FinishBlock(int i, Vector512<double> x, Vector512<double> xDot, Vector512<double> theta, Vector512<double> thetaDot,
        Span<float> observations, Span<float> rewards, Span<bool> terminated, Span<bool> truncated)
    {
        var xLimit = Vector512.Create(CartPolePhysics.XThreshold);
        var thetaLimit = Vector512.Create(CartPolePhysics.ThetaThresholdRadians);
        var term = Vector512.LessThan(x, -xLimit) | Vector512.GreaterThan(x, xLimit)
                   | Vector512.LessThan(theta, -thetaLimit) | Vector512.GreaterThan(theta, thetaLimit);
        uint termBits = (uint)term.ExtractMostSignificantBits();

        ref int elapsedRef = ref MemoryMarshal.GetArrayDataReference(_elapsed);
        var elapsed = Vector256.LoadUnsafe(ref elapsedRef, (nuint)i) + Vector256<int>.One;
        elapsed.StoreUnsafe(ref elapsedRef, (nuint)i);
        uint truncBits = Vector256.GreaterThanOrEqual(elapsed, Vector256.Create(_maxEpisodeSteps)).ExtractMostSignificantBits();

        // The 64-bit lane masks narrowed to 32 bits select each lane's reward.
        var term32 = Vector512.Narrow(term.AsInt64(), term.AsInt64()).GetLower().AsSingle();
        Vector256.ConditionalSelect(term32, Vector256.Create(_endReward), Vector256.Create(_aliveReward))
            .StoreUnsafe(ref MemoryMarshal.GetReference(rewards), (nuint)i);
        Unsafe.WriteUnaligned(ref Unsafe.As<bool, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(terminated), i)), BitsToBools[termBits]);
        Unsafe.WriteUnaligned(ref Unsafe.As<bool, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(truncated), i)), BitsToBools[truncBits]);

        // Observations: round to float32 (as (float)d does), then interleave the four components into rows
        // [x, ẋ, θ, θ̇] of lanes 0–3 and 4–7.
        var a = Vector512.Narrow(x, xDot);         // x0..x7, ẋ0..ẋ7
        var b = Vector512.Narrow(theta, thetaDot); // θ0..θ7, θ̇0..θ̇7
        ref float rows = ref MemoryMarshal.GetReference(observations);
        Avx512F.PermuteVar16x32x2(a, RowsLow, b).StoreUnsafe(ref rows, (nuint)(4 * i));
        Avx512F.PermuteVar16x32x2(a, RowsHigh, b).StoreUnsafe(ref rows, (nuint)(4 * i + 16));

        ulong pending = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<bool, byte>(ref _resetPending[i]));
        if ((termBits | truncBits) != 0 || pending != 0)
        {
            for (int j = 0; j < Vector512<double>.Count; j++)
            {
                if ((((termBits | truncBits) >> j) & 1) != 0 || _resetPending[i + j])
                    AutoReset(i + j, observations, rewards, terminated, truncated);
            }
        }
    }

    /// <summary>The outputs of one lane from its new state (the scalar counterpart of <see cref="FinishBlock"/>).</summary>
    private void FinishLane(int i, Span<float> observations, Span<float> rewards, Span<bool> terminated, Span<bool> truncated)
    {
        int steps = ++_elapsed[i];
        bool term = CartPolePhysics.IsTerminated(GetState(i));
        bool trunc = steps >= _maxEpisodeSteps;
        rewards[i] = term ? _endReward : _aliveReward;
        terminated[i] = term;
        truncated[i] = trunc;
        WriteObservation(i, observations);
        if (term || trunc || _resetPending[i])
            AutoReset(i, observations, rewards, terminated, truncated);
    }

    /// <summary>
    /// A lane whose episode just ended or, in NextStep mode, ended on the previous step. NextStep: the end only marks the
    /// lane, and the step after it is the reset (reward 0, flags false; that step's action and dynamics are discarded).
    /// SameStep: the end is reported as is, its observation kept in <see cref="FinalObservations"/>, and the observation
    /// returned is the new episode's first.
    /// </summary>
    private void AutoReset(int i, Span<float> observations, Span<float> rewards, Span<bool> terminated, Span<bool> truncated)
    {
        if (Autoreset == AutoresetMode.NextStep)
        {
            if (!_resetPending[i])
            {
                _resetPending[i] = true;
                return;
            }
            _resetPending[i] = false;
            rewards[i] = 0f;
            terminated[i] = false;
            truncated[i] = false;
        }
        else
        {
            observations.Slice(4 * i, 4).CopyTo(_finalObservations.AsSpan(4 * i, 4));
        }
        StartEpisode(i);
        WriteObservation(i, observations);
    }

    private static ulong[] BuildBitsToBools()
    {
        var table = new ulong[256];
        for (int b = 0; b < 256; b++)
        {
            for (int j = 0; j < 8; j++)
            {
                if (((b >> j) & 1) != 0)
                    table[b] |= 1UL << (8 * j);
            }
        }
        return table;
    }

    private void SeedAll(ulong seed)
    {
        SubEnvSeed(seed, _rngs.Length - 1); // throws before any generator is replaced
        for (int i = 0; i < _rngs.Length; i++)
            _rngs[i] = NumPyGenerator.FromSeed(SubEnvSeed(seed, i));
    }

    private void StartEpisode(int i)
    {
        var s = CartPoleEnv.DrawStartState(_rngs[i]);
        (_x[i], _xDot[i], _theta[i], _thetaDot[i]) = (s.X, s.XDot, s.Theta, s.ThetaDot);
        _elapsed[i] = 0;
    }

    private void WriteObservation(int i, Span<float> observations) =>
        GetState(i).WriteObservation(observations.Slice(4 * i, 4));

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
