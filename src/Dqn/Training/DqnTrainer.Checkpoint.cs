using System.Text.Json;
using System.Text.Json.Serialization;
using CartPole;
using Training.Config;
using Dqn.Replay;
using Training.Reporting;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;
using Training.Runs;

namespace Dqn.Training;

/// <summary>
/// Resuming. A checkpoint is one safetensors file, written atomically, holding everything the loop needs to go on as
/// if it had never stopped:
/// <list type="bullet">
/// <item>tensors <c>q.*</c>, <c>target.*</c> and <c>best.*</c> (the online, target and best networks, PyTorch keys after
/// the prefix), <c>optimizer.*</c> (Adam's moments, keyed as in <see cref="OptimizerState"/>);</item>
/// <item>the replay memory: <c>replay.observations</c> [N, D], <c>replay.next_observations</c>, <c>replay.actions</c>
/// (I32), <c>replay.rewards</c>, <c>replay.terminated</c>, <c>replay.discounts</c>, and with prioritized replay
/// <c>replay.priorities</c> (F64, pᵢ^α per slot);</item>
/// <item><c>episode.actions</c> (I32): the actions of the episode in progress;</item>
/// <item>metadata <c>config</c> (config.json's text), <c>labels</c> (<see cref="Labels"/>), <c>state</c> (JSON: step, episode and update counters, the four
/// RNG states, the current episode's seed and return, solved step, best and last evaluation, elapsed time, the
/// optimizer's step count, the ring position and max priority) and <c>metrics</c> (metrics.csv's text).</item>
/// </list>
/// The environment's own state is not saved: every training episode starts from a reset with a seed drawn from the
/// trainer's episode-seed stream, so <see cref="Resume"/> resets with the saved seed and replays the saved actions.
/// That also rebuilds the n-step accumulator's pending transitions exactly (the replayed transitions it completes are
/// already in the saved replay memory and are discarded), and it checks that the replayed return matches.
/// </summary>
public sealed partial class DqnTrainer
{
    public const string CheckpointFormat = "scratchrl-dqn-checkpoint";

    private static readonly JsonSerializerOptions StateJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>Writes the whole training state to <paramref name="path"/> (atomically). Call it between <see cref="Train"/> calls.</summary>
    public void SaveCheckpoint(string path)
    {
        var entries = new List<SafetensorsEntry>();
        AddNetwork(entries, "q.", _q);
        AddNetwork(entries, "target.", _qTarget);
        AddNetwork(entries, "best.", _best);
        var optimizer = _optimizer.StateDict();
        foreach (var (key, tensor) in optimizer.Tensors)
            entries.Add(SafetensorsEntry.FromTensor("optimizer." + key, tensor));

        var replay = _replay.GetState();
        int d = replay.ObservationSize;
        entries.Add(SafetensorsEntry.FromArray<float>("replay.observations", replay.Observations, [replay.Count, d]));
        entries.Add(SafetensorsEntry.FromArray<float>("replay.next_observations", replay.NextObservations, [replay.Count, d]));
        entries.Add(SafetensorsEntry.FromArray<int>("replay.actions", replay.Actions, [replay.Count]));
        entries.Add(SafetensorsEntry.FromArray<float>("replay.rewards", replay.Rewards, [replay.Count]));
        entries.Add(SafetensorsEntry.FromArray<float>("replay.terminated", replay.Terminated, [replay.Count]));
        entries.Add(SafetensorsEntry.FromArray<float>("replay.discounts", replay.Discounts, [replay.Count]));
        double? maxPriority = null;
        if (_prioritized is { } per)
        {
            var state = per.GetState();
            entries.Add(SafetensorsEntry.FromArray<double>("replay.priorities", state.Priorities, [state.Priorities.Length]));
            maxPriority = state.MaxPriority;
        }
        int[] actions = [.. _episodeActions];
        entries.Add(SafetensorsEntry.FromArray<int>("episode.actions", actions, [actions.Length]));

        var loopState = new CheckpointState
        {
            Step = _step,
            Episodes = _episodes,
            Updates = _updates,
            Finished = _finished,
            ExplorationRng = _exploration.GetState(),
            SamplingRng = _sampling.GetState(),
            EpisodeSeedsRng = _episodeSeeds.GetState(),
            EpisodeRunning = _episodeRunning,
            EpisodeSeed = _episodeSeed,
            EpisodeReturn = _episodeReturn,
            EpisodeLossSum = _episodeLossSum,
            EpisodeUpdates = _episodeUpdates,
            OptimizerStep = optimizer.Step,
            ReplayPosition = replay.Position,
            MaxPriority = maxPriority,
            SolvedAtStep = _solvedAtStep,
            SolvedAtSeconds = _solvedAtSeconds,
            BestEvaluation = _bestEvaluation,
            LastEvaluation = _lastEvaluation,
            ElapsedSeconds = _elapsedBefore.TotalSeconds,
        };
        var metadata = new Dictionary<string, string>
        {
            ["format"] = CheckpointFormat,
            ["config"] = TrainConfigJson.Serialize(Config),
            ["state"] = JsonSerializer.Serialize(loopState, StateJson),
            ["metrics"] = Metrics.ToCsv(),
            ["labels"] = JsonSerializer.Serialize(Labels, StateJson),
        };
        new SafetensorsFile(entries, metadata).Write(path);
    }

    /// <summary>
    /// Rebuilds a trainer from a checkpoint written by <see cref="SaveCheckpoint"/>; its next <see cref="Train"/> call
    /// continues exactly where the saved run stopped. Throws <see cref="InvalidDataException"/> naming the file and the
    /// problem when it is not such a checkpoint.
    /// </summary>
    public static DqnTrainer Resume(string path, Func<TrainConfig, IEnvironment> makeEnvironment)
    {
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Read(path);
        }
        catch (SafetensorsException e)
        {
            throw new InvalidDataException($"'{path}' is not a checkpoint: {e.Message}", e);
        }
        var metadata = file.Metadata;
        if (metadata is null || !metadata.TryGetValue("format", out string? format) || format != CheckpointFormat)
            throw new InvalidDataException($"'{path}' is not a ScratchRl DQN checkpoint (its metadata has no \"format\": \"{CheckpointFormat}\").");
        try
        {
            var config = TrainConfigJson.Deserialize(Required(metadata, "config"), $"{path} (config)");
            var state = JsonSerializer.Deserialize<CheckpointState>(Required(metadata, "state"), StateJson)
                ?? throw new InvalidDataException("the state is null.");
            var trainer = new DqnTrainer(config, () => makeEnvironment(config));
            trainer.Restore(file, state, MetricsLog.ParseCsv(Required(metadata, "metrics"), $"{path} (metrics)"));
            trainer.Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(Required(metadata, "labels"), StateJson) ?? [];
            return trainer;
        }
        catch (Exception e) when (e is ArgumentException or JsonException or ConfigException or SafetensorsException or KeyNotFoundException)
        {
            throw new InvalidDataException($"'{path}' is not a usable checkpoint: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is not a usable checkpoint: {e.Message}", e);
        }
    }

    private void Restore(SafetensorsFile file, CheckpointState state, MetricsLog metrics)
    {
        _q.LoadStateDict(Network(file, "q."));
        _qTarget.LoadStateDict(Network(file, "target."));
        _best.LoadStateDict(Network(file, "best."));
        var optimizerTensors = new Dictionary<string, Tensor>();
        foreach (var entry in file.Entries)
        {
            if (entry.Name.StartsWith("optimizer.", StringComparison.Ordinal))
                optimizerTensors[entry.Name["optimizer.".Length..]] = entry.ToTensor();
        }
        _optimizer.LoadStateDict(new OptimizerState(state.OptimizerStep, optimizerTensors));

        var observations = file["replay.observations"];
        int count = observations.Shape.Length == 2 ? observations.Shape[0] : -1;
        var replay = new ReplayBufferState
        {
            Capacity = _replay.Capacity,
            ObservationSize = _replay.ObservationSize,
            Count = count,
            Position = state.ReplayPosition,
            Observations = observations.ToArray<float>(),
            NextObservations = file["replay.next_observations"].ToArray<float>(),
            Actions = file["replay.actions"].ToArray<int>(),
            Rewards = file["replay.rewards"].ToArray<float>(),
            Terminated = file["replay.terminated"].ToArray<float>(),
            Discounts = file["replay.discounts"].ToArray<float>(),
        };
        if (_prioritized is { } per)
        {
            per.SetState(new PrioritizedReplayState
            {
                Storage = replay,
                Priorities = file["replay.priorities"].ToArray<double>(),
                MaxPriority = state.MaxPriority ?? throw new InvalidDataException("the state has no max_priority for prioritized replay."),
            });
        }
        else
        {
            _replay.SetState(replay);
        }

        _exploration.SetState(state.ExplorationRng);
        _sampling.SetState(state.SamplingRng);
        _episodeSeeds.SetState(state.EpisodeSeedsRng);
        _step = state.Step;
        _episodes = state.Episodes;
        _updates = state.Updates;
        _finished = state.Finished;
        _solvedAtStep = state.SolvedAtStep;
        _solvedAtSeconds = state.SolvedAtSeconds;
        _bestEvaluation = state.BestEvaluation;
        _lastEvaluation = state.LastEvaluation;
        _elapsedBefore = TimeSpan.FromSeconds(state.ElapsedSeconds);
        Metrics = metrics;
        var episodes = metrics.Episodes;
        for (int i = Math.Max(0, episodes.Count - _recentReturns.Window); i < episodes.Count; i++)
            _recentReturns.Add(episodes[i].Return);

        if (state.EpisodeRunning)
            ReplayEpisode(state.EpisodeSeed, file["episode.actions"].ToArray<int>(), state.EpisodeReturn);
        _episodeLossSum = state.EpisodeLossSum;
        _episodeUpdates = state.EpisodeUpdates;
    }

    /// <summary>
    /// Brings the training environment back to where the saved run was: a reset with the episode's seed, then its
    /// actions again. The transitions go through the n-step accumulator (so its pending ones are those of the saved
    /// run); what it completes is already in the replay memory and is dropped.
    /// </summary>
    private void ReplayEpisode(ulong seed, int[] actions, double expectedReturn)
    {
        _episodeSeed = seed;
        _env.Reset(_obs, seed);
        _episodeActions.Clear();
        _episodeReturn = 0;
        var discard = new DiscardingSink();
        foreach (int action in actions)
        {
            if ((uint)action >= (uint)_env.ActionCount)
                throw new InvalidDataException($"episode.actions holds action {action}; the environment has {_env.ActionCount}.");
            var result = _env.Step(action, _nextObs);
            if (result.Done)
                throw new InvalidDataException($"replaying the current episode from seed {seed} ended it after {_episodeActions.Count + 1} of {actions.Length} steps; the environment is not the one the checkpoint was made with.");
            _nStep.Add(_obs, action, result.Reward, _nextObs, result.Terminated, result.Truncated, discard);
            _episodeActions.Add(action);
            _episodeReturn += result.Reward;
            (_obs, _nextObs) = (_nextObs, _obs);
        }
        if (_episodeReturn != expectedReturn)
            throw new InvalidDataException($"replaying the current episode from seed {seed} gave return {_episodeReturn}, the checkpoint says {expectedReturn}; the environment is not the one the checkpoint was made with.");
        _episodeRunning = true;
    }

    private static void AddNetwork(List<SafetensorsEntry> entries, string prefix, Sequential network)
    {
        foreach (var (key, tensor) in network.StateDict())
            entries.Add(SafetensorsEntry.FromTensor(prefix + key, tensor));
    }

    private static Dictionary<string, Tensor> Network(SafetensorsFile file, string prefix)
    {
        var stateDict = new Dictionary<string, Tensor>();
        foreach (var entry in file.Entries)
        {
            if (entry.Name.StartsWith(prefix, StringComparison.Ordinal))
                stateDict[entry.Name[prefix.Length..]] = entry.ToTensor();
        }
        return stateDict;
    }

    private static string Required(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out string? value) ? value : throw new InvalidDataException($"the metadata has no '{key}'.");

    /// <summary>Transitions that are already stored: replaying an episode must not store them twice.</summary>
    private sealed class DiscardingSink : ITransitionSink
    {
        public void Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation,
            bool terminated, float discount)
        {
        }
    }

    /// <summary>The loop's scalars in a checkpoint (JSON, snake_case).</summary>
    private sealed record CheckpointState
    {
        public long Step { get; init; }
        public int Episodes { get; init; }
        public long Updates { get; init; }
        public bool Finished { get; init; }
        public required ulong[] ExplorationRng { get; init; }
        public required ulong[] SamplingRng { get; init; }
        public required ulong[] EpisodeSeedsRng { get; init; }
        public bool EpisodeRunning { get; init; }
        public ulong EpisodeSeed { get; init; }
        public double EpisodeReturn { get; init; }
        public double EpisodeLossSum { get; init; }
        public int EpisodeUpdates { get; init; }
        public long OptimizerStep { get; init; }
        public int ReplayPosition { get; init; }
        public double? MaxPriority { get; init; }
        public long? SolvedAtStep { get; init; }
        public double? SolvedAtSeconds { get; init; }
        public EvaluationRecord? BestEvaluation { get; init; }
        public EvaluationRecord? LastEvaluation { get; init; }
        public double ElapsedSeconds { get; init; }
    }
}
