using CartPole.Seeding;

namespace CartPole.Tests.Seeding;

/// <summary>
/// <see cref="SeedSequence"/> and <see cref="Pcg64"/> against NumPy's own test data (numbers copied from NumPy's
/// repository, not produced by this code), and the properties of <see cref="NumPyGenerator"/>'s doubles.
/// </summary>
public class NumPyReferenceTests
{
    // numpy/random/tests/test_seed_sequence.py, test_reference_data (NumPy's check against O'Neill's C++ reference):
    // SeedSequence(inputs[k]).generate_state(4) == outputs[k] and generate_state(2, np.uint64) == outputs64[k].
    private static readonly uint[][] Inputs =
    [
        [3735928559, 195939070, 229505742, 305419896],
        [3668361503, 4165561550, 1661411377, 3634257570],
        [164546577, 4166754639, 1765190214, 1303880213],
        [2766103236, 2883057919, 4029656435, 862374500],
    ];

    private static readonly uint[][] Outputs =
    [
        [3914649087, 576849849, 3593928901, 2229911004],
        [2240804226, 3691353228, 1365957195, 2654016646],
        [3562296087, 3191708229, 1147942216, 3726991905],
        [296367413, 4262059219, 13109864, 3283683422],
    ];

    private static readonly ulong[][] Outputs64 =
    [
        [2477551240072187391, 9577394838764454085],
        [15854241394484835714, 11398914698975566411],
        [13708282465491374871, 16007308345579681096],
        [18305404959516669237, 14103312907920476776],
    ];

    [Test]
    public void SeedSequenceMatchesNumPysReferenceData()
    {
        for (int k = 0; k < Inputs.Length; k++)
        {
            var sequence = new SeedSequence(Inputs[k]);
            var words = new uint[4];
            var words64 = new ulong[2];
            sequence.GenerateState(words);
            sequence.GenerateState(words64);
            Assert.That(words, Is.EqualTo(Outputs[k]), $"generate_state(4) of input {k}");
            Assert.That(words64, Is.EqualTo(Outputs64[k]), $"generate_state(2, uint64) of input {k}");
        }
    }

    [Test]
    public void Pcg64CoreMatchesNumPysTestSet()
    {
        // numpy/random/tests/data/pcg64-testset-1.csv as of commit 12f02376 ("seed, 0xdeadbeaf", then output i), made by
        // numpy/random/src/pcg64/pcg64-test-data-gen.c of that commit with pcg64_srandom_r(initstate = 0xDEADBEAF,
        // initseq = 0): the LCG, the XSL-RR output and the set-seed steps, without SeedSequence.
        var expected = new Dictionary<int, ulong>
        {
            [0] = 0xb174ddf3fe597da6, [1] = 0xfc217240c1e61e6f, [2] = 0x20279da26fec9cbf,
            [3] = 0xa5f4ee34651f4e1e, [4] = 0xb254d7901c68b9db, [27] = 0xe0eff9dadc47fb3,
            [100] = 0x7a1db9118f60dee0, [500] = 0x373bd93e91bbed18, [671] = 0x86eee6259cab63b5,
        };
        var pcg = new Pcg64(initState: 0xDEADBEAF, initSequence: 0);
        for (int i = 0; i <= 671; i++)
        {
            ulong raw = pcg.NextUInt64();
            if (expected.TryGetValue(i, out ulong want))
                Assert.That(raw, Is.EqualTo(want), $"output {i}");
        }
    }

    [Test]
    public void DefaultRngRandomMatchesNumPysDocumentation()
    {
        // numpy/random/_generator.pyx, default_rng's docstring: np.random.default_rng(12345).random() is 0.22733602246716966.
        Assert.That(NumPyGenerator.FromSeed(12345).Random(), Is.EqualTo(0.22733602246716966));

        // numpy.org, "Random sampling (numpy.random)", Quick start: default_rng(122807528840384100672342137672332424406)
        // .random() is 0.5363922081269535; a 128-bit seed is four 32-bit words of entropy, lowest first.
        var seed = UInt128.Parse("122807528840384100672342137672332424406", System.Globalization.CultureInfo.InvariantCulture);
        uint[] words = [(uint)seed, (uint)(seed >> 32), (uint)(seed >> 64), (uint)(seed >> 96)];
        var rng = new NumPyGenerator(new Pcg64(new SeedSequence(words)));
        Assert.That(rng.Random(), Is.EqualTo(0.5363922081269535));
    }

    [TestCase(0UL, new uint[] { 0 })]
    [TestCase(42UL, new uint[] { 42 })]
    [TestCase(0xFFFF_FFFFUL, new uint[] { 0xFFFF_FFFF })]
    [TestCase(0x1_0000_0000UL, new uint[] { 0, 1 })]
    [TestCase(0x10deadbeefUL, new uint[] { 0xdeadbeef, 0x10 })]
    public void AnIntegerSeedIsItsThirtyTwoBitWordsLowestFirst(ulong seed, uint[] words)
    {
        // numpy's _coerce_to_uint32_array docstring: 0x10deadbeef becomes [3735928559, 16].
        var fromInteger = new uint[8];
        var fromWords = new uint[8];
        new SeedSequence(seed).GenerateState(fromInteger);
        new SeedSequence(words).GenerateState(fromWords);
        Assert.That(fromInteger, Is.EqualTo(fromWords));
    }

    [Test]
    public void RandomIsAFiftyThreeBitFractionInTheUnitInterval()
    {
        var rng = NumPyGenerator.FromSeed(7);
        var bits = new Pcg64(new SeedSequence(7));
        double min = 1, max = 0;
        for (int k = 0; k < 100_000; k++)
        {
            double u = rng.Random();
            Assert.That(u, Is.EqualTo((double)(bits.NextUInt64() >> 11) / 9007199254740992.0), "the top 53 bits over 2⁵³");
            Assert.That(u * 9007199254740992.0, Is.EqualTo(Math.Floor(u * 9007199254740992.0)), "a multiple of 2⁻⁵³");
            min = Math.Min(min, u);
            max = Math.Max(max, u);
        }
        Assert.That(min, Is.GreaterThanOrEqualTo(0).And.LessThan(1e-4));
        Assert.That(max, Is.LessThan(1).And.GreaterThan(1 - 1e-4));
    }

    [Test]
    public void UniformRejectsAReversedOrInfiniteRange()
    {
        var rng = NumPyGenerator.FromSeed(1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => rng.Uniform(0.05, -0.05));
        Assert.That(e!.Message, Does.Contain("non-negative").And.Contain("low = 0.05"));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Uniform(-double.MaxValue, double.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Uniform(0, double.NaN));
        Assert.That(rng.Uniform(3, 3), Is.EqualTo(3.0));
    }
}
