using System.ComponentModel;
using Spectre.Console.Cli;

namespace ScratchRl.Commands;

/// <summary>
/// The flags of <c>scratchrl sweep</c>: the config flags of <see cref="TrainConfigSettings"/> plus the seeds and how
/// many train at once; or <c>--collect</c> and the run folders to summarise.
/// </summary>
public sealed class SweepSettings : TrainConfigSettings
{
    [CommandArgument(0, "[RUN_DIRS]")]
    [Description("With --collect: the run folders (each with summary.json and metrics.csv) to summarise.")]
    public string[] RunFolders { get; init; } = [];

    [CommandOption("--seeds <N>")]
    [Description("How many seeds to train. Default: 10.")]
    public string? Seeds { get; init; }

    [CommandOption("--first-seed <S>")]
    [Description("Seeds S, S + 1, …. Default: 1.")]
    public string? FirstSeed { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("How many seeds train side by side, one thread each (each seed's result is the same as training it alone). Default: the number of cores.")]
    public string? Parallel { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("The sweep folder: one sub-folder per seed, sweep.json and sweep.html. Default: runs/sweep-<preset> (or -2, -3, … when that holds a sweep); with --collect, the run folders' common parent.")]
    public string? Out { get; init; }

    [CommandOption("--overwrite")]
    [Description("Replace runs already in the seeds' folders. Without it, sweep refuses to write into a folder that holds a run.")]
    public bool Overwrite { get; init; }

    [CommandOption("--collect")]
    [Description("Train nothing: build sweep.json and sweep.html from the run folders given (trained anywhere, e.g. by a Slurm job array of train --seed $i --out <shared>/run-$i).")]
    public bool Collect { get; init; }

    [CommandOption("--json")]
    [Description("Print sweep.json as one line, the last of stdout (rows go to stderr).")]
    public bool Json { get; init; }
}
