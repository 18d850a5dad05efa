namespace CartPole.Seeding;

/// <summary>
/// NumPy's <c>numpy.random.SeedSequence</c> (Melissa O'Neill's <c>seed_seq</c> alternative), mirroring
/// numpy/random/bit_generator.pyx: an integer seed is hashed into a pool of four 32-bit words, and
/// <see cref="GenerateState(Span{uint})"/> stretches the pool into as many well-mixed words as a bit generator needs.
/// Only what Gymnasium's <c>seeding.np_random(seed)</c> uses is here: entropy from a seed, no spawn key, pool size 4.
/// </summary>
/// <remarks>
/// <para>Building the pool: each entropy word (zeros past the end of the entropy) goes through <c>hashmix</c>; then every
/// pool word is mixed into every other (<c>mix</c>), so late bits affect early ones; entropy words beyond the pool are
/// mixed into every pool word. All arithmetic is modulo 2³².</para>
/// <para><c>hashmix(v)</c>: v ← v ⊕ h; h ← h·MULT_A; v ← v·h; v ← v ⊕ (v ≫ 16), with the running multiplier h starting at
/// INIT_A and carried across calls. <c>mix(x, y)</c>: r ← MIX_MULT_L·x − MIX_MULT_R·y; r ⊕ (r ≫ 16).</para>
/// </remarks>
public sealed class SeedSequence
{
    /// <summary>NumPy's default pool: 4 words, 128 bits of entropy.</summary>
    public const int PoolSize = 4;

    private const uint InitA = 0x43b0d7e5, MultA = 0x931e8875;
    private const uint InitB = 0x8b51f9dd, MultB = 0x58f38ded;
    private const uint MixMultL = 0xca01f9dd, MixMultR = 0x4973f715;
    private const int XShift = 16; // half a 32-bit word

    private readonly uint[] _pool = new uint[PoolSize];

    /// <summary>
    /// <c>SeedSequence(seed)</c> for a non-negative integer: the seed split into 32-bit words, least significant first
    /// (NumPy's <c>_int_to_uint32_array</c>: 0 is one zero word, a seed below 2³² one word, otherwise two).
    /// </summary>
    public SeedSequence(ulong seed)
        : this(seed <= uint.MaxValue ? [(uint)seed] : [(uint)seed, (uint)(seed >> 32)])
    {
    }

    /// <summary><c>SeedSequence(entropy)</c> for a sequence of 32-bit words (NumPy's <c>uint32</c> array entropy).</summary>
    public SeedSequence(ReadOnlySpan<uint> entropy)
    {
        uint hashConst = InitA;
        for (int i = 0; i < PoolSize; i++)
            _pool[i] = HashMix(i < entropy.Length ? entropy[i] : 0u, ref hashConst);

        for (int src = 0; src < PoolSize; src++)
        {
            for (int dst = 0; dst < PoolSize; dst++)
            {
                if (src != dst)
                    _pool[dst] = Mix(_pool[dst], HashMix(_pool[src], ref hashConst));
            }
        }

        for (int src = PoolSize; src < entropy.Length; src++)
        {
            for (int dst = 0; dst < PoolSize; dst++)
                _pool[dst] = Mix(_pool[dst], HashMix(entropy[src], ref hashConst));
        }
    }

    /// <summary>
    /// <c>generate_state(n, uint32)</c>: word i is the pool word i mod 4, hashed with a running multiplier
    /// (d ← p ⊕ h; h ← h·MULT_B; d ← d·h; d ⊕ (d ≫ 16), h starting at INIT_B). The same words every call.
    /// </summary>
    public void GenerateState(Span<uint> destination)
    {
        uint hashConst = InitB;
        for (int i = 0; i < destination.Length; i++)
        {
            uint value = _pool[i % PoolSize] ^ hashConst;
            hashConst *= MultB;
            value *= hashConst;
            value ^= value >> XShift;
            destination[i] = value;
        }
    }

    /// <summary>
    /// <c>generate_state(n, uint64)</c>: 2n 32-bit words read as n little-endian 64-bit words
    /// (word 2i is the low half of result i).
    /// </summary>
    public void GenerateState(Span<ulong> destination)
    {
        Span<uint> words = stackalloc uint[2 * destination.Length];
        GenerateState(words);
        for (int i = 0; i < destination.Length; i++)
            destination[i] = words[2 * i] | ((ulong)words[2 * i + 1] << 32);
    }

    private static uint HashMix(uint value, ref uint hashConst)
    {
        value ^= hashConst;
        hashConst *= MultA;
        value *= hashConst;
        value ^= value >> XShift;
        return value;
    }

    private static uint Mix(uint x, uint y)
    {
        uint result = MixMultL * x - MixMultR * y;
        result ^= result >> XShift;
        return result;
    }
}
