using System.ComponentModel;
using Spectre.Console.Cli;

namespace ScratchRl.Commands;

/// <summary>The flags of <c>scratchrl eval</c>.</summary>
public sealed class EvalSettings : CommandSettings
{
    [CommandOption("--model <FILE>")]
    [Description("The model: a run's model.safetensors (or last.safetensors), or a torch.nn.Sequential state dict or a CleanRL Agent state dict saved with safetensors.")]
    public string? Model { get; init; }

    [CommandOption("--episodes <N>")]
    [Description("Greedy episodes to play. Default: 100.")]
    public string? Episodes { get; init; }

    [CommandOption("--seed <S>")]
    [Description("Episode i resets with seed S + i. Default: 2000000, the held-out seeds: disjoint from the evaluation seeds (1000000 + i) that decided when training stopped and which weights it kept, so 100 episodes repeat a run's held-out evaluation.")]
    public string? Seed { get; init; }

    [CommandOption("--stochastic")]
    [Description("PPO and REINFORCE models: sample each action from the policy π(·|s) (seeded by --seed) instead of taking the greedy argmax.")]
    public bool Stochastic { get; init; }

    [CommandOption("--max-episode-steps <N>")]
    [Description("Time limit of an episode. Default: 500 (CartPole-v1).")]
    public string? MaxEpisodeSteps { get; init; }

    [CommandOption("--json")]
    [Description("Print one JSON object: mean_return, std_return, min_return, max_return, episodes, model, seed.")]
    public bool Json { get; init; }
}
