using System.ComponentModel;
using Spectre.Console.Cli;

namespace ScratchRl.Commands;

/// <summary>The flags of <c>scratchrl train</c>: the config flags of <see cref="TrainConfigSettings"/> plus the run's own.</summary>
public sealed class TrainSettings : TrainConfigSettings
{
    [CommandOption("--seed <N>")]
    [Description("Seed of the network initialisation, exploration, replay sampling and training episodes. Default: the preset's (1).")]
    public string? Seed { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Run folder. Default: runs/<preset>-<seed>, or runs/<preset>-<seed>-2, -3, … when that already holds a run (a default never replaces one).")]
    public string? Out { get; init; }

    [CommandOption("--overwrite")]
    [Description("Replace the run already in the --out folder (its files are deleted first). Without it, train refuses to write into a folder that holds a run.")]
    public bool Overwrite { get; init; }

    [CommandOption("--resume <DIR>")]
    [Description("Continue the run in DIR from its checkpoint.safetensors (with its saved config; no config flags).")]
    public string? Resume { get; init; }

    [CommandOption("--explain-update <K>")]
    [Description("After training, explain gradient step K (1 = the first) of this run as q-update --explain does, on the batch it really sampled, and check the replay gives the trainer's weights. DQN runs.")]
    public long? ExplainUpdate { get; init; }

    [CommandOption("--dump-update <K>")]
    [Description("Write gradient step K of this run as a q-update case into DUMP_DIR: weights, target, batch (with discounts and IS weights), Adam's state, expected weights and case.json with the q-update args that replay it. DQN runs.")]
    public long? DumpUpdate { get; init; }

    [CommandArgument(0, "[DUMP_DIR]")]
    [Description("With --dump-update K: the folder the case is written to.")]
    public string? DumpDir { get; init; }

    [CommandOption("--threads <N>")]
    [Description("Threads for large matrix products (torch.set_num_threads): products of at least 8 MFLOP, e.g. a 256-wide layer at batch 64, are split across them, with the same results as one thread. Default: 1.")]
    public string? Threads { get; init; }

    [CommandOption("--json")]
    [Description("Print the result as one JSON object on the last line of stdout (progress goes to stderr).")]
    public bool Json { get; init; }

    [CommandOption("--quiet")]
    [Description("No progress display.")]
    public bool Quiet { get; init; }
}
