using CartPole;
using Training.Policies;

namespace Training.Evaluation;

/// <summary>
/// Greedy evaluation: runs a policy for whole episodes on its own environment (never the training one, whose episode
/// is in progress) and reports their returns. Episode i is reset with seed <see cref="SeedBase"/> + i, so every
/// evaluation of a run, and of every run with the same eval_seed, sees the same start states, apart from the training
/// seed's. Per step it calls only <c>policy.Act</c> and <c>environment.Step</c> on a preallocated observation.
/// </summary>
public sealed class Evaluator
{
    private readonly float[] _observation;

    /// <summary>Evaluates on <paramref name="environment"/>, episode i reset with seed <paramref name="seedBase"/> + i.</summary>
    public Evaluator(IEnvironment environment, ulong seedBase)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Environment = environment;
        SeedBase = seedBase;
        _observation = new float[environment.ObservationSize];
    }

    /// <summary>The environment episodes run on (reset at the start of each).</summary>
    public IEnvironment Environment { get; }

    /// <summary>The seed of episode 0.</summary>
    public ulong SeedBase { get; }

    /// <summary>
    /// Runs <paramref name="episodes"/> episodes with seeds SeedBase + 0, 1, ...; when <paramref name="recording"/> is
    /// given, episode <paramref name="recordEpisode"/> is recorded into it.
    /// </summary>
    public EvaluationResult Evaluate(IPolicy policy, int episodes, EpisodeRecording? recording = null, int recordEpisode = 0)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (episodes < 1)
            throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "Evaluate at least one episode.");
        if (recording is not null && (uint)recordEpisode >= (uint)episodes)
            throw new ArgumentOutOfRangeException(nameof(recordEpisode), recordEpisode, $"The recorded episode must be in [0, {episodes}).");
        var returns = new double[episodes];
        var lengths = new int[episodes];
        for (int i = 0; i < episodes; i++)
            returns[i] = RunEpisode(policy, SeedBase + (ulong)i, i == recordEpisode ? recording : null, out lengths[i]);
        return new EvaluationResult(returns, lengths);
    }

    /// <summary>One greedy episode from a reset with <paramref name="seed"/>; returns its undiscounted return.</summary>
    public double RunEpisode(IPolicy policy, ulong seed, EpisodeRecording? recording, out int length)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Span<float> observation = _observation;
        Environment.Reset(observation, seed);
        recording?.Begin(observation, seed);
        double episodeReturn = 0;
        length = 0;
        while (true)
        {
            int action = policy.Act(observation);
            var result = Environment.Step(action, observation);
            episodeReturn += result.Reward;
            length++;
            recording?.Record(action, result.Reward, observation, result.Terminated, result.Truncated);
            if (result.Done)
                return episodeReturn;
        }
    }
}
