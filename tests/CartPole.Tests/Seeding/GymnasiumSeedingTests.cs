namespace CartPole.Tests.Seeding;

/// <summary>
/// Start states and first steps against the outputs Gymnasium itself documents, from its docstrings in
/// gymnasium/vector/vector_env.py (<c>VectorEnv.reset</c>, <c>VectorEnv.step</c> and the class example, each run with
/// <c>gym.make_vec("CartPole-v1", num_envs=3, vectorization_mode="sync")</c>, whose sub-environment i is reset with
/// seed + i, so row i is <c>gym.make("CartPole-v1").reset(seed=seed + i)</c>). NumPy prints a float32 with the fewest
/// digits that read back as the same float32, cut at 8 decimals: a printed value matches when it reads back as our
/// float32 or, where it was cut, lies within half a unit of the 8th decimal.
/// </summary>
public class GymnasiumSeedingTests
{
    private const double PrintedTolerance = 0.5e-8 + 1e-12;

    // VectorEnv.reset docstring: envs.reset(seed=42), rows for seeds 42, 43, 44.
    private static readonly double[][] ResetSeed42 =
    [
        [0.0273956, -0.00611216, 0.03585979, 0.0197368],
        [0.01522993, -0.04562247, -0.04799704, 0.03392126],
        [-0.03774345, -0.02418869, -0.00942293, 0.0469184],
    ];

    // VectorEnv.step docstring: after envs.reset(seed=42), envs.step([1, 0, 1]).
    private static readonly int[] StepActions = [1, 0, 1];

    private static readonly double[][] StepSeed42 =
    [
        [0.02727336, 0.18847767, 0.03625453, -0.26141977],
        [0.01431748, -0.24002443, -0.04731862, 0.3110827],
        [-0.03822722, 0.1710671, -0.00848456, -0.2487226],
    ];

    // VectorEnv class docstring: envs.reset(seed=123) (with TimeAwareObservation, whose fifth column is dropped here).
    private static readonly double[][] ResetSeed123 =
    [
        [0.01823519, -0.0446179, -0.02796401, -0.03156282],
        [0.02852531, 0.02858594, 0.0469136, 0.02480598],
        [0.03517495, -0.000635, -0.01098382, -0.03203924],
    ];

    [TestCase(42UL)]
    [TestCase(123UL)]
    public void ResetWithASeedGivesGymnasiumsStartState(ulong seed)
    {
        var expected = seed == 42 ? ResetSeed42 : ResetSeed123;
        for (int i = 0; i < 3; i++)
        {
            var env = new CartPoleEnv();
            var obs = new float[4];
            env.Reset(obs, seed + (ulong)i);
            AssertPrinted(obs, expected[i], $"reset(seed={seed + (ulong)i})");
        }
    }

    [Test]
    public void TheFirstStepFromGymnasiumsStartStateIsGymnasiumsStep()
    {
        for (int i = 0; i < 3; i++)
        {
            var env = new CartPoleEnv();
            var obs = new float[4];
            env.Reset(obs, 42 + (ulong)i);
            var result = env.Step(StepActions[i], obs);
            Assert.That(result, Is.EqualTo(new StepResult(1f, false, false)));
            AssertPrinted(obs, StepSeed42[i], $"seed {42 + i}, action {StepActions[i]}");
        }
    }

    [Test]
    public void VectorEnvResetWithASeedSeedsSubEnvironmentIWithSeedPlusI()
    {
        var vec = new CartPoleVectorEnv(3);
        var obs = new float[12];
        vec.Reset(obs, 42);
        for (int i = 0; i < 3; i++)
            AssertPrinted(obs.AsSpan(4 * i, 4), ResetSeed42[i], $"row {i} after reset(seed=42)");
        vec.Step(StepActions, obs, new float[3], new bool[3], new bool[3]);
        for (int i = 0; i < 3; i++)
            AssertPrinted(obs.AsSpan(4 * i, 4), StepSeed42[i], $"row {i} after step([1, 0, 1])");

        vec.Reset(obs, 123);
        for (int i = 0; i < 3; i++)
            AssertPrinted(obs.AsSpan(4 * i, 4), ResetSeed123[i], $"row {i} after reset(seed=123)");
    }

    private static void AssertPrinted(ReadOnlySpan<float> actual, double[] printed, string what)
    {
        for (int k = 0; k < 4; k++)
        {
            if ((float)printed[k] != actual[k] && Math.Abs(actual[k] - printed[k]) > PrintedTolerance)
                Assert.Fail($"{what}: component {k} is {actual[k]:R}, Gymnasium prints {printed[k]:R}");
        }
    }
}
