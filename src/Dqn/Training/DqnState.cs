using Dqn.Replay;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;
using Training.Config;
using Training.Reporting;
using Training.Runs;

namespace Dqn.Training;

/// <summary>
/// Everything a DQN run has learned and where its loop stands: this record <i>is</i> the checkpoint.
/// <see cref="Capture"/> copies it into one safetensors file, written atomically; <see cref="Load"/> reads it back, and a trainer
/// built on it goes on exactly as if it had never stopped.
/// <list type="bullet">
/// <item>tensors <c>q.*</c>, <c>target.*</c>, <c>best.*</c> (PyTorch keys after the prefix) and <c>optimizer.*</c>
/// (Adam's moments, keyed as in <see cref="OptimizerState"/>);</item>
/// <item>the replay memory <c>replay.*</c> (with prioritized replay, <c>replay.priorities</c>, pᵢ^α per slot);</item>
/// <item><c>episode.actions</c>: the actions of the episode in progress;</item>
/// <item>metadata: <c>config</c> (config.json's text), <c>state</c> (the scalars of <see cref="Scalars"/>, JSON),
/// <c>metrics</c> (metrics.csv's text) and <c>labels</c>.</item>
/// </list>
/// The environment is not saved: each training episode starts from a reset with a seed drawn from
/// <see cref="EpisodeSeeds"/>, so the trainer resets with <see cref="Episode"/>'s seed and replays its actions.
/// </summary>
public sealed record DqnState : RunState
{
    /// <summary>The metadata "format" of a checkpoint.</summary>
    public const string Format = "scratchrl-dqn-checkpoint";

    /// <summary>The online network Q(·; θ).</summary>
    public required Sequential Q { get; init; }

    /// <summary>The target network Q̂(·; θ′).</summary>
    public required Sequential Target { get; init; }

    /// <summary>The weights model.safetensors holds (see <see cref="SolveTracker"/>).</summary>
    public required Sequential Best { get; init; }

    /// <summary>Adam or SGD over <see cref="Q"/>'s parameters.</summary>
    public required Optimizer Optimizer { get; init; }

    /// <summary>The replay memory D (the storage of <see cref="Prioritized"/> when there is one).</summary>
    public required ReplayBuffer Replay { get; init; }

    /// <summary>Prioritized replay over <see cref="Replay"/>, or null for uniform sampling.</summary>
    public PrioritizedReplayBuffer? Prioritized { get; init; }

    /// <summary>ε-greedy's coin and random actions.</summary>
    public required Rng Exploration { get; init; }

    /// <summary>Minibatch sampling.</summary>
    public required Rng Sampling { get; init; }

    /// <summary>The reset seeds of the training episodes.</summary>
    public required Rng EpisodeSeeds { get; init; }

    /// <summary>The episode in progress.</summary>
    internal EpisodeInProgress Episode { get; } = new();

    /// <summary>
    /// A new run's state: θ from Linear's default initialisation, θ′ ← θ, empty replay memory. Four random streams are
    /// forked from <c>new Rng(seed)</c>: network initialisation, exploration, minibatch sampling, episode seeds.
    /// </summary>
    public static DqnState Create(TrainConfig config, int observationSize, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(config);
        var root = new Rng(config.Seed);
        var initialisation = root.Fork();
        var (exploration, sampling, episodeSeeds) = (root.Fork(), root.Fork(), root.Fork());

        // Q(s, ·; θ): obs → hidden… → |A| values (1 + |A| for the dueling head [V, A₀, …]); θ′ ← θ.
        int outputs = config.Dueling ? actionCount + 1 : actionCount;
        int[] hidden = [.. config.HiddenSizes];
        var q = Sequential.Mlp(initialisation, observationSize, hidden, outputs);
        var target = Sequential.Mlp(initialisation, observationSize, hidden, outputs);
        var best = Sequential.Mlp(initialisation, observationSize, hidden, outputs);
        TargetNetwork.Update(q, target, tau: 1);

        Optimizer optimizer = config.Optimizer == OptimizerKind.Adam
            ? new Adam(q.Parameters(), config.LearningRate)
            : new SGD(q.Parameters(), config.LearningRate);
        // Replay memory D: uniform, or prioritized by |δ| (Schaul et al. 2016).
        var prioritized = config.Prioritized
            ? new PrioritizedReplayBuffer(config.BufferSize, observationSize, config.PrioritizedAlpha, config.PrioritizedEps)
            : null;
        return new DqnState
        {
            Config = config,
            Q = q,
            Target = target,
            Best = best,
            Optimizer = optimizer,
            Replay = prioritized?.Storage ?? new ReplayBuffer(config.BufferSize, observationSize),
            Prioritized = prioritized,
            Exploration = exploration,
            Sampling = sampling,
            EpisodeSeeds = episodeSeeds,
            Tracker = new SolveTracker(q.Parameters(), best.Parameters(), config.SolveThreshold),
        };
    }

    /// <summary>The whole state as a checkpoint to write (a copy, see <see cref="CheckpointFile.Capture{TScalars}"/>); <paramref name="elapsed"/> is the training wall time so far.</summary>
    public CheckpointFile Capture(TimeSpan elapsed)
    {
        var entries = new List<SafetensorsEntry>();
        AddNetwork(entries, "q.", Q);
        AddNetwork(entries, "target.", Target);
        AddNetwork(entries, "best.", Best);
        var optimizer = Optimizer.StateDict();
        foreach (var (key, tensor) in optimizer.Tensors)
            entries.Add(SafetensorsEntry.FromTensor("optimizer." + key, tensor));

        var replay = Replay.GetState();
        int d = replay.ObservationSize;
        entries.Add(SafetensorsEntry.FromArray<float>("replay.observations", replay.Observations, [replay.Count, d]));
        entries.Add(SafetensorsEntry.FromArray<float>("replay.next_observations", replay.NextObservations, [replay.Count, d]));
        entries.Add(SafetensorsEntry.FromArray<int>("replay.actions", replay.Actions, [replay.Count]));
        entries.Add(SafetensorsEntry.FromArray<float>("replay.rewards", replay.Rewards, [replay.Count]));
        entries.Add(SafetensorsEntry.FromArray<float>("replay.terminated", replay.Terminated, [replay.Count]));
        entries.Add(SafetensorsEntry.FromArray<float>("replay.discounts", replay.Discounts, [replay.Count]));
        var per = Prioritized?.GetState();
        if (per is not null)
            entries.Add(SafetensorsEntry.FromArray<double>("replay.priorities", per.Priorities, [per.Priorities.Length]));
        int[] actions = [.. Episode.Actions];
        entries.Add(SafetensorsEntry.FromArray<int>("episode.actions", actions, [actions.Length]));

        var scalars = new Scalars
        {
            Run = Counters(elapsed),
            ExplorationRng = Exploration.GetState(),
            SamplingRng = Sampling.GetState(),
            EpisodeSeedsRng = EpisodeSeeds.GetState(),
            EpisodeRunning = Episode.Running,
            EpisodeSeed = Episode.Seed,
            EpisodeReturn = Episode.Return,
            EpisodeLossSum = Episode.LossSum,
            EpisodeUpdates = Episode.Updates,
            OptimizerStep = optimizer.Step,
            ReplayPosition = replay.Position,
            MaxPriority = per?.MaxPriority,
        };
        return CheckpointFile.Capture(Format, entries, Config, scalars, Metrics, Labels);
    }

    /// <summary>
    /// Reads a checkpoint written from <see cref="Capture"/>. Throws <see cref="InvalidDataException"/> naming the file and the
    /// problem when it is not one.
    /// </summary>
    public static DqnState Load(string path, int observationSize, int actionCount) =>
        CheckpointFile.Read<Scalars, DqnState>(path, Format, checkpoint =>
        {
            var state = Create(checkpoint.Config, observationSize, actionCount) with { Labels = checkpoint.Labels };
            state.Restore(checkpoint.File, checkpoint.Scalars, checkpoint.Metrics);
            return state;
        });

    /// <summary>The config saved in a checkpoint, to build the environment before <see cref="Load"/>.</summary>
    public static TrainConfig ReadConfig(string path) => CheckpointFile.ReadConfig(path, Format);

    private void Restore(SafetensorsFile file, Scalars scalars, MetricsLog metrics)
    {
        Q.LoadStateDict(Network(file, "q."));
        Target.LoadStateDict(Network(file, "target."));
        Best.LoadStateDict(Network(file, "best."));
        Optimizer.LoadStateDict(new OptimizerState(scalars.OptimizerStep, Network(file, "optimizer.")));

        var observations = file["replay.observations"];
        var replay = new ReplayBufferState
        {
            Capacity = Replay.Capacity,
            ObservationSize = Replay.ObservationSize,
            Count = observations.Shape.Length == 2 ? observations.Shape[0] : -1,
            Position = scalars.ReplayPosition,
            Observations = observations.ToArray<float>(),
            NextObservations = file["replay.next_observations"].ToArray<float>(),
            Actions = file["replay.actions"].ToArray<int>(),
            Rewards = file["replay.rewards"].ToArray<float>(),
            Terminated = file["replay.terminated"].ToArray<float>(),
            Discounts = file["replay.discounts"].ToArray<float>(),
        };
        if (Prioritized is { } per)
        {
            per.SetState(new PrioritizedReplayState
            {
                Storage = replay,
                Priorities = file["replay.priorities"].ToArray<double>(),
                MaxPriority = scalars.MaxPriority ?? throw new InvalidDataException("the state has no max_priority for prioritized replay."),
            });
        }
        else
        {
            Replay.SetState(replay);
        }

        Exploration.SetState(scalars.ExplorationRng);
        Sampling.SetState(scalars.SamplingRng);
        EpisodeSeeds.SetState(scalars.EpisodeSeedsRng);
        Restore(scalars.Run);
        Metrics = metrics;
        Episode.Restore(scalars.EpisodeRunning, scalars.EpisodeSeed, file["episode.actions"].ToArray<int>(),
            scalars.EpisodeReturn, scalars.EpisodeLossSum, scalars.EpisodeUpdates);
    }

    private static void AddNetwork(List<SafetensorsEntry> entries, string prefix, Sequential network)
    {
        foreach (var (key, tensor) in network.StateDict())
            entries.Add(SafetensorsEntry.FromTensor(prefix + key, tensor));
    }

    private static Dictionary<string, Tensor> Network(SafetensorsFile file, string prefix)
    {
        var tensors = new Dictionary<string, Tensor>();
        foreach (var entry in file.Entries)
        {
            if (entry.Name.StartsWith(prefix, StringComparison.Ordinal))
                tensors[entry.Name[prefix.Length..]] = entry.ToTensor();
        }
        return tensors;
    }

    /// <summary>The loop's scalars in a checkpoint (JSON, snake_case).</summary>
    private sealed record Scalars
    {
        public required RunCounters Run { get; init; }
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
    }
}
