using ScratchRl.Cli;

namespace ScratchRl.Tests;

/// <summary>
/// Runs <c>scratchrl</c> in-process with stdout and stderr captured, optionally inside <c>folder</c> (so the arguments'
/// relative paths resolve there). Tests in this assembly run one at a time, so swapping the console and the current
/// directory is safe.
/// </summary>
internal static class CliRun
{
    public static (int Code, string Stdout, string Stderr) Run(string? folder, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var (oldOut, oldErr, oldDirectory) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        if (folder is not null)
            Environment.CurrentDirectory = folder;
        try
        {
            int code = ScratchRlApp.Run(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = oldDirectory;
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
