using System.Numerics;

namespace CartPole.Seeding;

/// <summary>
/// NumPy's <c>numpy.random.PCG64</c> bit generator (PCG XSL-RR 128/64), mirroring numpy/random/src/pcg64/pcg64.h and
/// the seeding in numpy/random/_pcg64.pyx: a 128-bit linear congruential generator whose 64-bit outputs are the xor of
/// the state's halves rotated by the state's top 6 bits.
/// </summary>
/// <remarks>
/// <para>Step: s ← s·M + inc (mod 2¹²⁸), M = 0x2360ED051FC65DA4_4385DF649FCCF645; output: rotr₆₄(hi(s) ⊕ lo(s), hi(s) ≫ 58),
/// computed after the step.</para>
/// <para>Seeding (<c>pcg64_set_seed</c> → <c>pcg_setseq_128_srandom_r</c>): four 64-bit words w from
/// <see cref="SeedSequence.GenerateState(Span{ulong})"/>; initstate = w₀·2⁶⁴ + w₁ and initseq = w₂·2⁶⁴ + w₃;
/// inc = 2·initseq + 1 (odd, as a full-period LCG needs); s ← 0; step; s ← s + initstate; step.</para>
/// </remarks>
public sealed class Pcg64
{
    private static readonly UInt128 Multiplier = new(0x2360ED051FC65DA4UL, 0x4385DF649FCCF645UL);

    private readonly UInt128 _increment;
    private UInt128 _state;

    /// <summary><c>PCG64(seed_seq)</c>: the state and increment from the seed sequence's first four 64-bit words.</summary>
    public Pcg64(SeedSequence seedSequence)
        : this(StateWords(seedSequence, 0), StateWords(seedSequence, 2))
    {
    }

    /// <summary>
    /// <c>pcg64_set_seed(initstate, initseq)</c> itself, without a seed sequence (how NumPy's PCG64 test sets before
    /// SeedSequence were made).
    /// </summary>
    internal Pcg64(UInt128 initState, UInt128 initSequence)
    {
        _increment = (initSequence << 1) | UInt128.One;
        _state = UInt128.Zero;
        Step();
        _state += initState;
        Step();
    }

    /// <summary>The next 64 random bits (NumPy's <c>next_uint64</c>, <c>random_raw</c>).</summary>
    public ulong NextUInt64()
    {
        Step();
        ulong high = (ulong)(_state >> 64), low = (ulong)_state;
        return BitOperations.RotateRight(high ^ low, (int)(high >> 58));
    }

    /// <summary>Words k and k+1 of the seed sequence's first four 64-bit words as one 128-bit number, word k the high half.</summary>
    private static UInt128 StateWords(SeedSequence seedSequence, int k)
    {
        ArgumentNullException.ThrowIfNull(seedSequence);
        Span<ulong> words = stackalloc ulong[4];
        seedSequence.GenerateState(words);
        return new UInt128(words[k], words[k + 1]);
    }

    private void Step() => _state = _state * Multiplier + _increment;
}
