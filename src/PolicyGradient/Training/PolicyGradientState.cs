using System.Text.Json;
using System.Text.Json.Serialization;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Optim;
using Training.Config;
using Training.Reporting;
using Training.Runs;

namespace PolicyGradient.Training;

/// <summary>
/// Everything a PPO or REINFORCE run has learned and where its loop stands: this record <i>is</i> the checkpoint.
/// <see cref="Capture"/> copies it into one safetensors file, written atomically; <see cref="Load"/> reads it back, and a trainer
/// built on it goes on exactly as if it had never stopped.
/// <list type="bullet">
/// <item>tensors <c>agent.*</c> and <c>best.*</c> (CleanRL's Agent keys after the prefix) and <c>optimizer.*</c>
/// (Adam's moments, keyed as in <see cref="OptimizerState"/>);</item>
/// <item><c>env.actions</c>: every action taken so far, [steps / N, N];</item>
/// <item>metadata: <c>config</c> (config.json's text), <c>state</c> (the scalars of <see cref="Scalars"/>, JSON),
/// <c>metrics</c> (metrics.csv's text) and <c>labels</c>.</item>
/// </list>
/// The vector environment is not saved: it is reset with <see cref="EnvSeed"/> and its auto-resets draw from its own
/// generators, so replaying <see cref="EnvActions"/> brings every sub-environment back to where it was.
/// </summary>
public sealed record PolicyGradientState : RunState
{
    /// <summary>The metadata "format" of a checkpoint.</summary>
    public const string Format = "scratchrl-pg-checkpoint";

    /// <summary>The actor π(·|s; θ) and critic V(s; φ) being trained.</summary>
    public required Agent Agent { get; init; }

    /// <summary>The weights model.safetensors holds (see <see cref="SolveTracker"/>).</summary>
    public required Agent Best { get; init; }

    /// <summary>One Adam over the actor's and the critic's parameters.</summary>
    public required Adam Optimizer { get; init; }

    /// <summary>The actions sampled from π during rollouts.</summary>
    public required Rng Actions { get; init; }

    /// <summary>The minibatch shuffles (PPO).</summary>
    public required Rng Shuffle { get; init; }

    /// <summary>The seed of the vector environment's first reset (sub-environment i: seed + i).</summary>
    public required ulong EnvSeed { get; init; }

    /// <summary>Every action taken so far, step by step, N per step (replayed on resume).</summary>
    public List<int> EnvActions { get; } = [];

    /// <summary>The return so far of each sub-environment's episode in progress.</summary>
    public required double[] RunningReturns { get; init; }

    /// <summary>The length so far of each sub-environment's episode in progress.</summary>
    public required int[] RunningLengths { get; init; }

    /// <summary>Iterations (rollout, then learning) done.</summary>
    public int Iteration { get; set; }

    /// <summary>
    /// A new run's state: the agent with CleanRL's layer_init, Adam(lr, ε = ppo.adam_eps) over both networks. The
    /// random streams are forked from <c>new Rng(seed)</c> in this order: initialisation, the env seed, sampled
    /// actions, minibatch shuffles.
    /// </summary>
    public static PolicyGradientState Create(TrainConfig config, int observationSize, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(config);
        var root = new Rng(config.Seed);
        var initialisation = root.Fork();
        ulong envSeed = root.NextUInt64() >> 1;  // sub-environment seeds seed + i stay within 64 bits
        var (actions, shuffle) = (root.Fork(), root.Fork());
        int[] hidden = [.. config.HiddenSizes];
        var agent = Agent.Create(observationSize, actionCount, initialisation, hidden);
        var best = Agent.Create(observationSize, actionCount, new Rng(0), hidden);
        int n = config.Ppo.NumEnvs;
        return new PolicyGradientState
        {
            Config = config,
            Agent = agent,
            Best = best,
            Optimizer = new Adam(agent.Parameters(), config.LearningRate, eps: config.Ppo.AdamEps),
            Actions = actions,
            Shuffle = shuffle,
            EnvSeed = envSeed,
            Tracker = new SolveTracker(agent.Parameters(), best.Parameters(), config.SolveThreshold),
            RunningReturns = new double[n],
            RunningLengths = new int[n],
        };
    }

    /// <summary>The whole state as a checkpoint to write (a copy, see <see cref="CheckpointFile.Capture{TScalars}"/>); <paramref name="elapsed"/> is the training wall time so far.</summary>
    public CheckpointFile Capture(TimeSpan elapsed)
    {
        var entries = new List<SafetensorsEntry>();
        foreach (var (key, tensor) in Agent.StateDict())
            entries.Add(SafetensorsEntry.FromTensor("agent." + key, tensor));
        foreach (var (key, tensor) in Best.StateDict())
            entries.Add(SafetensorsEntry.FromTensor("best." + key, tensor));
        var optimizer = Optimizer.StateDict();
        foreach (var (key, tensor) in optimizer.Tensors)
            entries.Add(SafetensorsEntry.FromTensor("optimizer." + key, tensor));
        int n = Config.Ppo.NumEnvs;
        int[] actions = [.. EnvActions];
        entries.Add(SafetensorsEntry.FromArray<int>("env.actions", actions, [actions.Length / n, n]));

        var scalars = new Scalars
        {
            Run = Counters(elapsed),
            Iteration = Iteration,
            ActionsRng = Actions.GetState(),
            ShuffleRng = Shuffle.GetState(),
            EnvSeed = EnvSeed,
            RunningReturns = [.. RunningReturns],
            RunningLengths = [.. RunningLengths],
            OptimizerStep = optimizer.Step,
            LearningRate = Optimizer.Lr,
        };
        return CheckpointFile.Capture(Format, entries, Config, scalars, Metrics, Labels);
    }

    /// <summary>True when <paramref name="path"/> is a file whose metadata names this checkpoint format.</summary>
    public static bool IsCheckpoint(string path)
    {
        try
        {
            return CheckpointFile.FormatOf(path) == Format;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads a checkpoint written from <see cref="Capture"/>. Throws <see cref="InvalidDataException"/> naming the file and the
    /// problem when it is not one.
    /// </summary>
    public static PolicyGradientState Load(string path, int observationSize, int actionCount) =>
        CheckpointFile.Read<Scalars, PolicyGradientState>(path, Format, checkpoint =>
        {
            var (file, config, scalars) = (checkpoint.File, checkpoint.Config, checkpoint.Scalars);
            var state = Create(config, observationSize, actionCount) with
            {
                Labels = checkpoint.Labels,
                EnvSeed = scalars.EnvSeed,
                RunningReturns = scalars.RunningReturns,
                RunningLengths = scalars.RunningLengths,
            };
            if (state.RunningReturns.Length != config.Ppo.NumEnvs || state.RunningLengths.Length != config.Ppo.NumEnvs)
                throw new InvalidDataException($"the state has running returns for {state.RunningReturns.Length} envs; the config has {config.Ppo.NumEnvs}.");
            state.Agent.LoadStateDict(Part(file, "agent."));
            state.Best.LoadStateDict(Part(file, "best."));
            state.Optimizer.LoadStateDict(new OptimizerState(scalars.OptimizerStep, Part(file, "optimizer.")));
            state.Optimizer.Lr = scalars.LearningRate;
            state.EnvActions.AddRange(file["env.actions"].ToArray<int>());
            if (state.EnvActions.Count != scalars.Run.Step)
                throw new InvalidDataException($"env.actions holds {state.EnvActions.Count} actions; the state says {scalars.Run.Step} steps were taken.");
            state.Actions.SetState(scalars.ActionsRng);
            state.Shuffle.SetState(scalars.ShuffleRng);
            state.Restore(scalars.Run);
            state.Iteration = scalars.Iteration;
            state.Metrics = checkpoint.Metrics;
            return state;
        });

    /// <summary>The config saved in a checkpoint, to build the environment before <see cref="Load"/>.</summary>
    public static TrainConfig ReadConfig(string path) => CheckpointFile.ReadConfig(path, Format);

    private static Dictionary<string, Tensor> Part(SafetensorsFile file, string prefix)
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
        public int Iteration { get; init; }
        public required ulong[] ActionsRng { get; init; }
        public required ulong[] ShuffleRng { get; init; }
        public ulong EnvSeed { get; init; }
        public required double[] RunningReturns { get; init; }
        public required int[] RunningLengths { get; init; }
        public long OptimizerStep { get; init; }
        public double LearningRate { get; init; }
    }
}
