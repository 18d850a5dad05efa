using System.Globalization;
using System.Text.Json.Nodes;
using CartPole;
using Training.Config;
using Training.Evaluation;
using Dqn.Training;
using ScratchRl.Cli;
using Spectre.Console.Cli;
using Training.Runs;
using TinyTorch;
using TinyTorch.IO;
using PolicyGradient;
using PolicyGradient.Training;

namespace ScratchRl.Commands;

/// <summary>
/// <c>scratchrl eval</c>: plays a saved model greedily (or sampling from a PPO/REINFORCE policy with <c>--stochastic</c>) on CartPole-v1 for N episodes with fixed seeds and prints the
/// mean, standard deviation (population, as SB3's evaluate_policy), min and max return.
/// </summary>
public sealed class EvalCommand : Command<EvalSettings>
{
    public override int Execute(CommandContext context, EvalSettings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(settings.Model))
            throw new UsageException("missing --model <FILE> (e.g. runs/fast-1/model.safetensors).");
        int episodes = TrainArguments.AtLeastOne("--episodes", settings.Episodes is { } e ? TrainArguments.Int("--episodes", e) : 100);
        ulong seed = settings.Seed is { } s ? TrainArguments.ULong("--seed", s) : new TrainConfig().HeldoutSeed;
        var options = CartPoleOptionsFor(settings.MaxEpisodeSteps);
        var model = LoadForCartPole(settings.Model, settings.Stochastic ? seed : null);

        var result = new Evaluator(new CartPoleEnv(options), seed).Evaluate(model.Policy, episodes);
        var inv = CultureInfo.InvariantCulture;
        if (settings.Json)
        {
            var json = new JsonObject
            {
                ["mean_return"] = result.Mean,
                ["std_return"] = result.Std,
                ["min_return"] = result.Min,
                ["max_return"] = result.Max,
                ["episodes"] = result.Episodes,
                ["model"] = settings.Model,
                ["seed"] = seed,
            };
            Console.Out.WriteLine(json.ToJsonString());
            return ScratchRlApp.Success;
        }
        Console.Out.WriteLine($"{settings.Model}: {model.Description}");
        Console.Out.WriteLine(string.Create(inv,
            $"{episodes} {(settings.Stochastic ? "sampled" : "greedy")} episodes (seeds {seed}…{seed + (ulong)episodes - 1}): mean {result.Mean:0.00} ± {result.Std:0.00}, min {result.Min:0}, max {result.Max:0}"));
        return ScratchRlApp.Success;
    }

    /// <summary>CartPole-v1, with another time limit when asked.</summary>
    internal static CartPoleOptions CartPoleOptionsFor(string? maxEpisodeSteps)
    {
        if (maxEpisodeSteps is null)
            return CartPoleOptions.Default;
        return new CartPoleOptions
        {
            MaxEpisodeSteps = TrainArguments.AtLeastOne("--max-episode-steps", TrainArguments.Int("--max-episode-steps", maxEpisodeSteps)),
        };
    }

    /// <summary>
    /// Loads a model and checks it fits CartPole (4 observation values, 2 actions). A run folder or a training
    /// checkpoint given instead of a model file is named as such, with the file to give instead. A PPO or REINFORCE
    /// agent plays greedily (argmax of its logits), or, with <paramref name="sampleSeed"/>, samples from its policy.
    /// </summary>
    internal static LoadedModel LoadForCartPole(string path, ulong? sampleSeed = null)
    {
        if (Directory.Exists(path))
            throw new ModelFileException($"--model '{path}' is a folder; give a model file, such as {Path.Combine(path, TrainingRun.ModelFileName)}.");
        if (IsCheckpoint(path))
            throw new ModelFileException(
                $"--model '{path}' is a training checkpoint (for train --resume); give the run's {TrainingRun.ModelFileName} (best evaluation) or {TrainingRun.LastFileName} (final weights).");
        LoadedModel model = LoadAgent(path, sampleSeed) ?? (sampleSeed is null
            ? ModelFile.Load(path)
            : throw new UsageException($"--stochastic samples from a policy; '{path}' holds no PPO or REINFORCE agent."));
        if (model.ObservationSize != 4 || model.ActionCount != 2)
            throw new ModelFileException(string.Create(CultureInfo.InvariantCulture,
                $"'{path}' holds a {model.Description} for {model.ObservationSize} observation values and {model.ActionCount} actions; CartPole-v1 has 4 and 2{(model.ActionCount == 3 && !model.Dueling ? " (a dueling network needs the metadata \"dueling\": \"true\")" : "")}."));
        return model;
    }

    /// <summary>The PPO or REINFORCE agent in <paramref name="path"/>, or null when the file holds another kind of model (or cannot be read).</summary>
    private static LoadedModel? LoadAgent(string path, ulong? sampleSeed)
    {
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SafetensorsException)
        {
            return null;  // ModelFile.Load names the problem
        }
        if (!AgentModelFile.Holds(file))
            return null;
        Agent agent;
        try
        {
            agent = AgentModelFile.Load(file, path);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException(e.Message, e);
        }
        var metadata = file.Metadata ?? new Dictionary<string, string>();
        var algorithm = metadata.GetValueOrDefault("algorithm") == AlgorithmNames.Key(Algorithm.Reinforce) ? Algorithm.Reinforce : Algorithm.Ppo;
        return new LoadedModel
        {
            Path = path,
            Algorithm = algorithm,
            Policy = sampleSeed is { } seed ? new SampledPolicy(agent, new Rng(seed)) : agent,
            ObservationSize = agent.ObservationSize,
            ActionCount = agent.ActionCount,
            Description = $"{AlgorithmNames.Title(algorithm)} agent: actor {Agent.Describe(agent.Actor)}, critic {Agent.Describe(agent.Critic)} (Tanh)",
            Network = agent.Actor,
            Metadata = metadata,
        };
    }

    private static bool IsCheckpoint(string path)
    {
        try
        {
            return SafetensorsFile.Read(path).Metadata is { } metadata
                && metadata.TryGetValue("format", out string? format) && (format == DqnState.Format || format == PolicyGradientState.Format);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SafetensorsException)
        {
            return false;
        }
    }
}
