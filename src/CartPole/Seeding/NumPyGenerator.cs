namespace CartPole.Seeding;

/// <summary>
/// The part of <c>numpy.random.Generator</c> (numpy/random/_generator.pyx) that Gymnasium's CartPole uses, over a
/// <see cref="Pcg64"/>: <see cref="Random"/> and <see cref="Uniform"/>, with NumPy's bits. <see cref="FromSeed"/> is
/// Gymnasium's <c>seeding.np_random(seed)</c> (gymnasium/utils/seeding.py), the generator <c>env.reset(seed=s)</c> installs.
/// </summary>
public sealed class NumPyGenerator
{
    /// <summary>2⁻⁵³: a 53-bit integer times this is a double in [0, 1) with every value exact.</summary>
    private const double TwoToMinus53 = 1.0 / (1UL << 53);

    private readonly Pcg64 _bitGenerator;

    /// <summary><c>Generator(bit_generator)</c>.</summary>
    public NumPyGenerator(Pcg64 bitGenerator)
    {
        ArgumentNullException.ThrowIfNull(bitGenerator);
        _bitGenerator = bitGenerator;
    }

    /// <summary><c>Generator(PCG64(SeedSequence(seed)))</c>, which is what <c>np.random.default_rng(seed)</c> and Gymnasium's <c>np_random(seed)</c> build.</summary>
    public static NumPyGenerator FromSeed(ulong seed) => new(new Pcg64(new SeedSequence(seed)));

    /// <summary>
    /// <c>Generator.random()</c>: u = (next_uint64 ≫ 11)·2⁻⁵³ (numpy/random/_common.pxd <c>uint64_to_double</c>), uniform on
    /// the 2⁵³ multiples of 2⁻⁵³ in [0, 1).
    /// </summary>
    public double Random() => (_bitGenerator.NextUInt64() >> 11) * TwoToMinus53;

    /// <summary>
    /// <c>Generator.uniform(low, high)</c>: low + (high − low)·u with u from <see cref="Random"/>
    /// (numpy/random/src/distributions/distributions.c <c>random_uniform</c>), in [low, high) up to rounding.
    /// Throws when high − low is negative or not finite (NumPy raises too).
    /// </summary>
    public double Uniform(double low, double high)
    {
        double range = high - low;
        if (!(range >= 0) || double.IsInfinity(range))
            throw new ArgumentOutOfRangeException(nameof(high), high,
                $"NumPyGenerator.Uniform: high − low must be finite and non-negative, got low = {low}, high = {high}.");
        return low + range * Random();
    }
}
