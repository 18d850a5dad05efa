using System.Runtime.InteropServices;
using CartPole.Seeding;

namespace CartPole.Tests;

/// <summary>
/// <see cref="CartPoleVectorEnv"/> against N independent <see cref="CartPoleEnv"/>s (themselves checked against Gymnasium):
/// identical bits in every observation, state, reward and flag, over thousands of steps with auto-resets.
/// </summary>
public class VectorEnvTests
{
    private static readonly CartPoleOptions ShortEpisodes = new() { MaxEpisodeSteps = 60 };
    private static readonly CartPoleOptions SemiImplicitSuttonBarto = new()
    {
        MaxEpisodeSteps = 45, Integrator = CartPoleIntegrator.SemiImplicitEuler, SuttonBartoReward = true,
    };

    /// <summary>Every width forced (0 = all lanes scalar), on sizes that run each width's body and leave tails.</summary>
    private static IEnumerable<TestCaseData> Configurations()
    {
        foreach (int bits in new[] { 512, 256, 128, 0 })
        {
            foreach (int n in new[] { 1, 7, 37, 39, 64 })
            {
                foreach (var mode in new[] { AutoresetMode.NextStep, AutoresetMode.SameStep })
                {
                    yield return new TestCaseData(bits, n, mode, "default").SetArgDisplayNames($"{bits} bits", $"N={n}", mode.ToString(), "default");
                    yield return new TestCaseData(bits, n, mode, "short").SetArgDisplayNames($"{bits} bits", $"N={n}", mode.ToString(), "limit 60");
                    yield return new TestCaseData(bits, n, mode, "semi").SetArgDisplayNames($"{bits} bits", $"N={n}", mode.ToString(), "semi-implicit, Sutton-Barto, limit 45");
                }
            }
        }
    }

    private static CartPoleOptions OptionsFor(string name) => name switch
    {
        "short" => ShortEpisodes,
        "semi" => SemiImplicitSuttonBarto,
        _ => CartPoleOptions.Default,
    };

    [TestCaseSource(nameof(Configurations))]
    public void EqualsScalarEnvironmentsBitForBit(int vectorBits, int n, AutoresetMode mode, string optionsName)
    {
        const ulong seed = 2024;
        const int steps = 3000;
        var options = OptionsFor(optionsName);
        var vec = new CartPoleVectorEnv(n, options, mode) { VectorBits = vectorBits };
        var scalars = new CartPoleEnv[n];
        var pending = new bool[n];
        var vObs = new float[4 * n];
        var sObs = new float[4 * n];
        var actions = new int[n];
        var rewards = new float[n];
        var terminated = new bool[n];
        var truncated = new bool[n];

        vec.Reset(vObs, seed);
        for (int i = 0; i < n; i++)
        {
            scalars[i] = new CartPoleEnv(options);
            scalars[i].Reset(sObs.AsSpan(4 * i, 4), CartPoleVectorEnv.SubEnvSeed(seed, i));
        }
        AssertSame(vec, scalars, vObs, sObs, "after reset");

        var policyRng = NumPyGenerator.FromSeed(7);
        int resets = 0, truncations = 0;
        for (int t = 1; t <= steps; t++)
        {
            for (int i = 0; i < n; i++)
                actions[i] = NoisyBalance(scalars[i].State, policyRng);
            vec.Step(actions, vObs, rewards, terminated, truncated);

            for (int i = 0; i < n; i++)
            {
                var env = scalars[i];
                var obs = sObs.AsSpan(4 * i, 4);
                StepResult expected;
                if (pending[i])
                {
                    // NextStep: this step is the reset; the action is ignored.
                    env.Reset(obs);
                    expected = new StepResult(0f, false, false);
                    pending[i] = false;
                }
                else
                {
                    expected = env.Step(actions[i], obs);
                    if (expected.Done)
                    {
                        resets++;
                        truncations += expected.Truncated ? 1 : 0;
                        if (mode == AutoresetMode.SameStep)
                        {
                            if (!BitEqual(vec.FinalObservations.Slice(4 * i, 4), obs))
                                Assert.Fail($"step {t}: final observation of env {i} differs from the scalar env's last one");
                            env.Reset(obs);
                        }
                        else
                        {
                            pending[i] = true;
                        }
                    }
                }
                var actual = new StepResult(rewards[i], terminated[i], truncated[i]);
                if (actual != expected)
                    Assert.Fail($"step {t}: env {i} returned {actual}, the scalar env {expected}");
            }
            AssertSame(vec, scalars, vObs, sObs, $"step {t}");
        }

        // The run must really have exercised what it claims to test.
        Assert.That(resets, Is.GreaterThan(2 * n), "episodes ended");
        if (optionsName != "default")
            Assert.That(truncations, Is.GreaterThan(0), "truncations");
    }

    [Test]
    public void NextStepResetReturnsTheNewEpisodeWithRewardZeroAndIgnoresTheAction()
    {
        var vecA = new CartPoleVectorEnv(1, new CartPoleOptions { MaxEpisodeSteps = 3 });
        var vecB = new CartPoleVectorEnv(1, new CartPoleOptions { MaxEpisodeSteps = 3 });
        var obsA = new float[4];
        var obsB = new float[4];
        var reward = new float[1];
        var term = new bool[1];
        var trunc = new bool[1];
        vecA.Reset(obsA, 5);
        vecB.Reset(obsB, 5);
        for (int t = 1; t <= 3; t++)
        {
            vecA.Step([1], obsA, reward, term, trunc);
            vecB.Step([1], obsB, reward, term, trunc);
        }
        Assert.That(trunc[0], Is.True, "the third step reaches the limit");

        vecA.Step([0], obsA, reward, term, trunc);
        vecB.Step([1], obsB, reward, term, trunc);
        Assert.Multiple(() =>
        {
            Assert.That(reward[0], Is.EqualTo(0f));
            Assert.That(term[0] || trunc[0], Is.False);
            Assert.That(vecA.GetElapsedSteps(0), Is.Zero);
            Assert.That(obsA, Is.EqualTo(obsB), "the action of the reset step is ignored");
            Assert.That(obsA.All(v => Math.Abs(v) <= 0.05f), Is.True, "a fresh start state");
        });
    }

    [Test]
    public void BadActionThrowsBeforeAnyEnvironmentMoves()
    {
        var vec = new CartPoleVectorEnv(9);
        var obs = new float[36];
        vec.Reset(obs, 1);
        var before = Enumerable.Range(0, 9).Select(vec.GetState).ToArray();
        int[] actions = [0, 1, 0, 1, 0, 1, 0, 1, 2];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            vec.Step(actions, obs, new float[9], new bool[9], new bool[9]));
        Assert.That(e!.Message, Does.Contain("actions[8]").And.Contain("got 2"));
        Assert.That(Enumerable.Range(0, 9).Select(vec.GetState), Is.EqualTo(before));
    }

    [Test]
    public void WrongSpanLengthsAndStepBeforeResetAreRejected()
    {
        var vec = new CartPoleVectorEnv(3);
        var e = Assert.Throws<InvalidOperationException>(() =>
            vec.Step([0, 0, 0], new float[12], new float[3], new bool[3], new bool[3]));
        Assert.That(e!.Message, Does.Contain("before Reset"));
        var obs = new float[12];
        vec.Reset(obs);
        var len = Assert.Throws<ArgumentException>(() => vec.Step([0, 0, 0], new float[11], new float[3], new bool[3], new bool[3]));
        Assert.That(len!.Message, Does.Contain("observations must have length 12, got 11"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CartPoleVectorEnv(0));
    }

    [Test]
    public void SubEnvSeedIsSeedPlusIndexAndMustFitInSixtyFourBits()
    {
        Assert.That(CartPoleVectorEnv.SubEnvSeed(42, 0), Is.EqualTo(42UL));
        Assert.That(CartPoleVectorEnv.SubEnvSeed(42, 5), Is.EqualTo(47UL));
        Assert.That(CartPoleVectorEnv.SubEnvSeed(ulong.MaxValue - 2, 2), Is.EqualTo(ulong.MaxValue));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CartPoleVectorEnv.SubEnvSeed(ulong.MaxValue - 2, 3));
        Assert.That(e!.Message, Does.Contain("seed + 3").And.Contain("64 bits"));

        var vec = new CartPoleVectorEnv(4);
        var obs = new float[16];
        vec.Reset(obs, 9);
        var before = Enumerable.Range(0, 4).Select(vec.GetState).ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => vec.Reset(obs, ulong.MaxValue - 2));
        vec.Reset(obs);
        var scalar = new CartPoleEnv();
        scalar.Reset(new float[4], 9 + 3);
        scalar.Reset(new float[4]);
        Assert.That(vec.GetState(3), Is.EqualTo(scalar.State), "a rejected seed left every generator as it was");
        Assert.That(before[3], Is.Not.EqualTo(vec.GetState(3)));
    }

    /// <summary>A crude balancing controller with 20% random actions: long episodes, yet plenty of terminations.</summary>
    private static int NoisyBalance(CartPoleState s, NumPyGenerator rng)
    {
        if (rng.Random() < 0.2)
            return rng.Random() < 0.5 ? 1 : 0;
        return s.Theta + 0.3 * s.ThetaDot + 0.01 * s.X + 0.05 * s.XDot > 0 ? 1 : 0;
    }

    private static void AssertSame(CartPoleVectorEnv vec, CartPoleEnv[] scalars, float[] vObs, float[] sObs, string when)
    {
        for (int i = 0; i < scalars.Length; i++)
        {
            var v = vec.GetState(i);
            var s = scalars[i].State;
            if (!BitEqual(v.X, s.X) || !BitEqual(v.XDot, s.XDot) || !BitEqual(v.Theta, s.Theta) || !BitEqual(v.ThetaDot, s.ThetaDot))
                Assert.Fail($"{when}: state of env {i} is {v}, the scalar env has {s}");
            if (vec.GetElapsedSteps(i) != scalars[i].ElapsedSteps)
                Assert.Fail($"{when}: env {i} counts {vec.GetElapsedSteps(i)} steps, the scalar env {scalars[i].ElapsedSteps}");
        }
        if (!BitEqual(vObs, sObs))
            Assert.Fail($"{when}: the observations differ from the scalar envs'");
    }

    private static bool BitEqual(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        MemoryMarshal.Cast<float, int>(a).SequenceEqual(MemoryMarshal.Cast<float, int>(b));

    private static bool BitEqual(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
}
