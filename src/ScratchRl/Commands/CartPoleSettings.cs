using System.ComponentModel;
using Spectre.Console.Cli;

namespace ScratchRl.Commands;

/// <summary>The flags of <c>scratchrl cartpole</c>; values are parsed and checked in <see cref="CartPoleCommand"/>.</summary>
public sealed class CartPoleSettings : CommandSettings
{
    [CommandOption("--state <STATE>")]
    [Description("Start from exactly this float64 state: \"x,x_dot,theta,theta_dot\" (e.g. \"-1.5e-05,0,0.01,0\"). Default: a reset drawn with --seed.")]
    public string? State { get; init; }

    [CommandOption("--actions <ACTIONS>")]
    [Description("The actions to take, in order: \"0,1,1,...\" (0 pushes left, 1 pushes right). Stops at the first step that ends the episode.")]
    public string? Actions { get; init; }

    [CommandOption("--cases-file <FILE>")]
    [Description("Replay many episodes: one JSON object a line, {\"name\":..., \"state\":[[4 numbers]], \"actions\":[[...]]}.")]
    public string? CasesFile { get; init; }

    [CommandOption("--json")]
    [Description("Print one JSON object per step: {\"step\":1,\"obs\":[[...]],\"reward\":1.0,\"terminated\":false,\"truncated\":false}.")]
    public bool Json { get; init; }

    [CommandOption("--policy <POLICY>")]
    [Description("Without --actions: who chooses the actions, random or balance (a hand-tuned linear controller). Default: random.")]
    public string? Policy { get; init; }

    [CommandOption("--seed <SEED>")]
    [Description("Seeds the start state as Gymnasium's reset(seed=N) does (without --state), and the random policy. Default: 0.")]
    public ulong Seed { get; init; }

    [CommandOption("--max-steps <N>")]
    [Description("Truncate episodes at this many steps. Default: 500 (CartPole-v1).")]
    public int MaxSteps { get; init; } = 500;

    [CommandOption("--integrator <NAME>")]
    [Description("euler (default, as Gymnasium) or semi-implicit.")]
    public string? Integrator { get; init; }

    [CommandOption("--sutton-barto")]
    [Description("Gymnasium's sutton_barto_reward: 0 per step, -1 on termination.")]
    public bool SuttonBarto { get; init; }

    [CommandOption("--frames")]
    [Description("Print a text frame of the cart and pole after every step instead of the table.")]
    public bool Frames { get; init; }

    [CommandOption("--animate")]
    [Description("Play the episode in the terminal in real time (50 frames per second).")]
    public bool Animate { get; init; }

    [CommandOption("--svg <FILE>")]
    [Description("Write the episode as an animated SVG (plays in any browser).")]
    public string? Svg { get; init; }
}
