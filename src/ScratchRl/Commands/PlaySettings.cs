using System.ComponentModel;
using Spectre.Console.Cli;

namespace ScratchRl.Commands;

/// <summary>The flags of <c>scratchrl play</c>.</summary>
public sealed class PlaySettings : CommandSettings
{
    [CommandOption("--model <FILE>")]
    [Description("The model to watch (a run's model.safetensors).")]
    public string? Model { get; init; }

    [CommandOption("--seed <S>")]
    [Description("Reset seed of the episode. Default: 1000000, the first evaluation seed (the episode of the run's report).")]
    public string? Seed { get; init; }

    [CommandOption("--svg <FILE>")]
    [Description("Write the episode as an animated SVG instead of playing it in the terminal.")]
    public string? Svg { get; init; }

    [CommandOption("--stochastic")]
    [Description("PPO and REINFORCE models: sample each action from the policy π(·|s) (seeded by --seed) instead of taking the greedy argmax.")]
    public bool Stochastic { get; init; }

    [CommandOption("--max-episode-steps <N>")]
    [Description("Time limit of the episode. Default: 500 (CartPole-v1).")]
    public string? MaxEpisodeSteps { get; init; }
}
