using CartPole;
using Training.Config;
using Dqn.Tests.Fakes;
using Dqn.Training;
using Training.Runs;

namespace Dqn.Tests.Training;

public class TruncationTests
{
    [Test]
    public void ATimeLimitIsStoredAsNotTerminatedWithTheRealLastObservation()
    {
        // CartPole cut at 20 steps, played at random: episodes end by falling (terminated) or by the limit (truncated).
        var config = TrainerFixtures.Small() with
        {
            MaxEpisodeSteps = 20,
            TotalTimesteps = 600,
            BufferSize = 1_000,
            LearningStarts = 599,
            StartE = 1,
            EndE = 1,
            NStep = 1,
            EvalFrequency = 1_000,
        };
        var trainer = TrainerFixtures.CartPoleTrainer(config);
        trainer.PauseAtStep = 600;
        trainer.Train();

        var replay = trainer.Replay.GetState();
        var episodes = trainer.Metrics.Episodes;
        int end = 0, truncations = 0, terminations = 0;
        foreach (var episode in episodes)
        {
            end += episode.Length;
            int last = end - 1;
            bool terminated = replay.Terminated[last] == 1f;
            // Termination always shows as an early end; a stored 0 at the end of a 20-step episode is the time limit.
            if (episode.Length < 20)
                Assert.That(terminated, Is.True, $"episode {episode.Episode} fell after {episode.Length} steps");
            if (terminated)
                terminations++;
            else
                truncations++;
            // s′ of the last transition is the episode's final observation, not the next episode's reset.
            if (end < replay.Count)
                Assert.That(replay.NextObservations.AsSpan(last * 4, 4).SequenceEqual(replay.Observations.AsSpan(end * 4, 4)), Is.False);
        }
        Assert.That(truncations, Is.GreaterThan(0), "some episodes reach the limit");
        Assert.That(terminations, Is.GreaterThan(0), "some fall");
        int terminatedFlags = 0;
        for (int i = 0; i < replay.Count; i++)
        {
            if (replay.Terminated[i] == 1f)
                terminatedFlags++;
        }
        Assert.That(terminatedFlags, Is.EqualTo(terminations), "only the last transition of a fallen episode is terminal");
        // Within an episode s′ of step t is s of step t + 1.
        Assert.That(replay.NextObservations.AsSpan(0, 4).SequenceEqual(replay.Observations.AsSpan(4, 4)), Is.True);
    }

    private static TrainConfig LoopConfig => new()
    {
        Seed = 3,
        TotalTimesteps = 1_500,
        HiddenSizes = [4],
        LearningRate = 0.01,
        Gamma = 0.5,
        NStep = 1,
        DoubleDqn = false,
        BufferSize = 500,
        BatchSize = 32,
        LearningStarts = 50,
        TargetNetworkFrequency = 1,
        Tau = 0.1,
        StartE = 1,
        EndE = 1,
        EvalFrequency = 10_000,
        EvalEpisodes = 1,
        FinalEvalEpisodes = 1,
        StopWhenSolved = false,
    };

    [TestCase(1)]
    [TestCase(4)]
    public void TruncationStillBootstrapsSoQReachesTheDiscountedSum(int limit)
    {
        // One state looping onto itself with reward 1, cut every `limit` steps and never terminated:
        // Q = Σ γᵏ = 1/(1 − γ) = 2 for γ = 0.5. Treating the cut as terminal would learn 1 (limit 1) or less than 2.
        var config = LoopConfig;
        var trainer = new DqnTrainer(config, () => new TimeLimitLoopEnv(limit));
        trainer.Train();

        var replay = trainer.Replay.GetState();
        Assert.That(replay.Terminated, Is.All.EqualTo(0f), "a time limit is never stored as termination");
        var q = trainer.QNetwork.Forward(new TinyTorch.Tensor([0f], 1, 1)).Data;
        Assert.That(q[0], Is.EqualTo(2).Within(0.05));
        Assert.That(q[1], Is.EqualTo(2).Within(0.05));
    }

    [Test]
    public void TheClassicBugOfTreatingTheTimeLimitAsTerminalLearnsOne()
    {
        // The same loop, but the environment reports its time limit as termination (what "done" in old Gym code meant):
        // every target is then y = r = 1, so Q = 1 instead of 2.
        var trainer = new DqnTrainer(LoopConfig, () => new TruncationAsTermination(new TimeLimitLoopEnv(1)));
        trainer.Train();
        Assert.That(trainer.Replay.GetState().Terminated, Is.All.EqualTo(1f));
        var q = trainer.QNetwork.Forward(new TinyTorch.Tensor([0f], 1, 1)).Data;
        Assert.That(q[0], Is.EqualTo(1).Within(0.05));
        Assert.That(q[1], Is.EqualTo(1).Within(0.05));
    }

    /// <summary>Reports a truncation as a termination: the bug this file guards against, on purpose.</summary>
    private sealed class TruncationAsTermination(IEnvironment inner) : IEnvironment
    {
        public int ObservationSize => inner.ObservationSize;

        public int ActionCount => inner.ActionCount;

        public void Reset(Span<float> observation, ulong? seed = null) => inner.Reset(observation, seed);

        public StepResult Step(int action, Span<float> observation)
        {
            var r = inner.Step(action, observation);
            return new StepResult(r.Reward, r.Terminated || r.Truncated, false);
        }
    }
}
