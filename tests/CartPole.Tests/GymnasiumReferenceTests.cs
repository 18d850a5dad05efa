namespace CartPole.Tests;

/// <summary>Every episode Gymnasium played replays in <see cref="CartPoleEnv"/>: same observations, rewards, flags, length.</summary>
public class GymnasiumReferenceTests
{
    private static IEnumerable<GymnasiumCase> Cases() => GymnasiumCase.LoadAll();

    [Test]
    public void TheReferenceFileCoversTheCasesTheIssueNames()
    {
        var names = GymnasiumCase.LoadAll().Select(c => c.Name).ToArray();
        Assert.That(names, Has.Length.GreaterThanOrEqualTo(16));
        Assert.That(names, Has.Some.StartsWith("random_"));
        Assert.That(names, Has.Some.StartsWith("truncate_500"));
        Assert.That(names, Has.Some.Contains("thr"));
        Assert.That(names, Has.Some.Contains("terminate_at_500"));
    }

    [TestCaseSource(nameof(Cases))]
    public void EpisodeReplaysLikeGymnasium(GymnasiumCase c)
    {
        var env = new CartPoleEnv();
        Span<float> obs = stackalloc float[4];
        env.ResetTo(c.StartState, obs);

        int taken = 0;
        foreach (int action in c.Actions)
        {
            var result = env.Step(action, obs);
            var expected = c.Steps[taken];
            taken++;
            for (int k = 0; k < 4; k++)
            {
                Assert.That(GymnasiumCase.Close(obs[k], expected.Obs[k]), Is.True,
                    $"{c.Name} step {taken} obs[{k}]: got {obs[k]:R}, Gymnasium {expected.Obs[k]:R}");
            }
            Assert.That(result.Reward, Is.EqualTo((float)expected.Reward), $"{c.Name} step {taken} reward");
            Assert.That(result.Terminated, Is.EqualTo(expected.Terminated), $"{c.Name} step {taken} terminated");
            Assert.That(result.Truncated, Is.EqualTo(expected.Truncated), $"{c.Name} step {taken} truncated");
            if (result.Done)
                break;
        }
        Assert.That(taken, Is.EqualTo(c.Steps.Length), $"{c.Name}: episode length");
    }

    [TestCaseSource(nameof(Cases))]
    public void ObservationsAreTheExactFloat32OfGymnasium(GymnasiumCase c)
    {
        // Stronger than the tolerance: Gymnasium's observation is a float32 written as its exact double, so a
        // bit-exact float64 trajectory gives the identical float.
        var env = new CartPoleEnv();
        Span<float> obs = stackalloc float[4];
        env.ResetTo(c.StartState, obs);
        for (int t = 0; t < c.Steps.Length; t++)
        {
            env.Step(c.Actions[t], obs);
            for (int k = 0; k < 4; k++)
                Assert.That(obs[k], Is.EqualTo((float)c.Steps[t].Obs[k]), $"{c.Name} step {t + 1} obs[{k}]");
        }
    }
}
