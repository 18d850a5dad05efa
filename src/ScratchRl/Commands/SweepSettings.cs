using System.ComponentModel;
using Spectre.Console.Cli;

namespace ScratchRl.Commands;

/// <summary>The flags of <c>scratchrl sweep</c>: the config flags of <see cref="TrainConfigSettings"/> plus the seeds.</summary>
public sealed class SweepSettings : TrainConfigSettings
{
    [CommandOption("--seeds <N>")]
    [Description("How many seeds to train, one after the other. Default: 10.")]
    public string? Seeds { get; init; }

    [CommandOption("--first-seed <S>")]
    [Description("Seeds S, S + 1, …. Default: 1.")]
    public string? FirstSeed { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Parent folder of the runs (one sub-folder per seed). Default: runs/sweep-<preset>.")]
    public string? Out { get; init; }

    [CommandOption("--json")]
    [Description("Print the sweep as one JSON object on the last line of stdout (rows go to stderr).")]
    public bool Json { get; init; }
}
