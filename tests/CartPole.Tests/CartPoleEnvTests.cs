using CartPole.Seeding;

namespace CartPole.Tests;

public class CartPoleEnvTests
{
    [TestCase(-1)]
    [TestCase(2)]
    [TestCase(int.MaxValue)]
    public void ActionOutsideZeroOneThrowsWithTheValue(int action)
    {
        var env = new CartPoleEnv();
        var obs = new float[4];
        env.Reset(obs, 0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(action, obs));
        Assert.That(e!.Message, Does.Contain($"got {action}").And.Contain("0 (push left) or 1 (push right)"));
        Assert.That(env.ElapsedSteps, Is.Zero, "the bad action did not move the environment");
    }

    [Test]
    public void StepBeforeResetThrows()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new CartPoleEnv().Step(0, new float[4]));
        Assert.That(e!.Message, Does.Contain("before Reset"));
    }

    [Test]
    public void StepAfterTerminationThrowsAndResetStartsAgain()
    {
        var env = new CartPoleEnv();
        var obs = new float[4];
        env.ResetTo(new CartPoleState(0, 0, CartPolePhysics.ThetaThresholdRadians, 1.0), obs);
        var result = env.Step(1, obs);
        Assert.That(result.Terminated, Is.True);
        var e = Assert.Throws<InvalidOperationException>(() => env.Step(1, obs));
        Assert.That(e!.Message, Does.Contain("terminated at step 1").And.Contain("call Reset"));

        env.Reset(obs, 3);
        Assert.DoesNotThrow(() => env.Step(0, obs));
    }

    [Test]
    public void StepAfterTruncationThrows()
    {
        var env = new CartPoleEnv(new CartPoleOptions { MaxEpisodeSteps = 2 });
        var obs = new float[4];
        env.ResetTo(default, obs);
        env.Step(1, obs);
        Assert.That(env.Step(0, obs).Truncated, Is.True);
        var e = Assert.Throws<InvalidOperationException>(() => env.Step(1, obs));
        Assert.That(e!.Message, Does.Contain("truncated at step 2").And.Contain("limit is 2"));
    }

    [Test]
    public void TruncatesExactlyAtTheLimitAndBothFlagsCanBeSet()
    {
        var env = new CartPoleEnv(new CartPoleOptions { MaxEpisodeSteps = 5 });
        var obs = new float[4];
        env.ResetTo(default, obs);
        for (int t = 1; t <= 5; t++)
        {
            var r = env.Step(t % 2, obs);
            Assert.That(r.Terminated, Is.False, $"step {t}");
            Assert.That(r.Truncated, Is.EqualTo(t == 5), $"step {t}");
            Assert.That(r.Reward, Is.EqualTo(1f));
        }

        var once = new CartPoleEnv(new CartPoleOptions { MaxEpisodeSteps = 1 });
        once.ResetTo(new CartPoleState(2.4, 1.0, 0, 0), obs);
        var both = once.Step(1, obs);
        Assert.That(both.Terminated && both.Truncated, Is.True);
        Assert.That(both.Reward, Is.EqualTo(1f), "the terminating step is rewarded too");
    }

    [Test]
    public void SameSeedSameStartDifferentSeedOrNoSeedADifferentOne()
    {
        var a = new CartPoleEnv();
        var b = new CartPoleEnv();
        var oa = new float[4];
        var ob = new float[4];
        a.Reset(oa, 42);
        b.Reset(ob, 42);
        Assert.That(a.State, Is.EqualTo(b.State));
        b.Reset(ob, 43);
        Assert.That(b.State, Is.Not.EqualTo(a.State));
        var first = a.State;
        a.Reset(oa);
        Assert.That(a.State, Is.Not.EqualTo(first), "without a seed the stream continues");
        a.Reset(oa, 42);
        Assert.That(a.State, Is.EqualTo(first), "reseeding starts the stream over");
    }

    [Test]
    public void ResetDrawsFourUniformsFromTheSeededRngInGymnasiumsOrder()
    {
        var env = new CartPoleEnv();
        env.Reset(new float[4], 99);
        var rng = NumPyGenerator.FromSeed(99);
        double[] draws = [.. Enumerable.Range(0, 4).Select(_ => -0.05 + 0.1 * rng.Random())];
        Assert.That(env.State, Is.EqualTo(new CartPoleState(draws[0], draws[1], draws[2], draws[3])));
    }

    [Test]
    public void StartStatesCoverTheOpenIntervalUniformly()
    {
        var env = new CartPoleEnv();
        var obs = new float[4];
        env.Reset(obs, 1);
        const int n = 20000;
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        for (int k = 0; k < n; k++)
        {
            env.Reset(obs);
            var s = env.State;
            foreach (double v in (double[])[s.X, s.XDot, s.Theta, s.ThetaDot])
            {
                if (!(v >= -0.05 && v < 0.05))
                    Assert.Fail($"start state {s} leaves [-0.05, 0.05)");
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                sum += v;
            }
        }
        Assert.That(min, Is.LessThan(-0.0499));
        Assert.That(max, Is.GreaterThan(0.0499));
        // The mean of 4n draws of U(−0.05, 0.05) has standard deviation 0.1/√12/√(4n) ≈ 1.0e-4.
        Assert.That(sum / (4 * n), Is.EqualTo(0).Within(5e-4));
    }

    [Test]
    public void ObservationIsTheFloat32OfTheState()
    {
        var env = new CartPoleEnv();
        var obs = new float[4];
        env.ResetTo(new CartPoleState(0.1, -1.5e-05, 1e-300, -3.0000000000000004), obs);
        Assert.That(obs, Is.EqualTo(new[] { 0.1f, -1.5e-05f, 0f, -3f }));
        Assert.That(env.ElapsedSteps, Is.Zero);
    }

    [Test]
    public void BadStartStateAndObservationSpanAndOptionsAreRejected()
    {
        var env = new CartPoleEnv();
        var e = Assert.Throws<ArgumentException>(() => env.ResetTo(new CartPoleState(0, double.NaN, 0, 0), new float[4]));
        Assert.That(e!.Message, Does.Contain("finite").And.Contain("NaN"));
        var len = Assert.Throws<ArgumentException>(() => env.Reset(new float[3]));
        Assert.That(len!.Message, Does.Contain("length 4, got 3"));
        var opt = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CartPoleEnv(new CartPoleOptions { MaxEpisodeSteps = 0 }));
        Assert.That(opt!.Message, Does.Contain("MaxEpisodeSteps must be at least 1, got 0"));
    }

    [Test]
    public void StepsAndAutoResetsDoNotAllocate()
    {
        var env = new CartPoleEnv();
        var vec = new CartPoleVectorEnv(37);
        var obs = new float[4];
        var vObs = new float[4 * 37];
        var actions = new int[37];
        var rewards = new float[37];
        var term = new bool[37];
        var trunc = new bool[37];
        env.Reset(obs, 1);
        vec.Reset(vObs, 1);
        env.Step(0, obs);
        vec.Step(actions, vObs, rewards, term, trunc);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 2000; t++)
        {
            if (env.Step(t & 1, obs).Done)
                env.Reset(obs);
            actions[t % 37] ^= 1;
            vec.Step(actions, vObs, rewards, term, trunc);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
