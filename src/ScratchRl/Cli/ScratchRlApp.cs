using ScratchRl.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScratchRl.Cli;

/// <summary>
/// The <c>scratchrl</c> command line. Exit codes: 0 success, 2 usage error (bad flag or value),
/// 1 failure (a file that cannot be read, a run that fails). Errors are one readable line on stderr, never a stack trace.
/// </summary>
public static class ScratchRlApp
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public static int Run(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("scratchrl");
            config.PropagateExceptions();
            config.Settings.StrictParsing = true;
            config.AddCommand<QUpdateCommand>("q-update")
                .WithDescription("One DQN gradient step (or --steps N on the same batch) as PyTorch computes it, on an MLP and a batch stored as safetensors; prints each step's loss, writes the updated network; --explain prints every intermediate value.")
                .WithExample("q-update", "--weights", "weights.safetensors", "--target-weights", "target.safetensors", "--batch", "batch.safetensors", "--gamma", "0.99", "--lr", "0.001", "--loss", "huber", "--optimizer", "adam", "--steps", "1", "--out", "out.safetensors", "--explain");
        });
        try
        {
            return app.Run(args);
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    /// <summary>Maps an exception to its exit code and prints its one-line message.</summary>
    internal static int Report(Exception e)
    {
        var (code, message) = e switch
        {
            UsageException u => (UsageError, u.Message),
            CommandParseException p => (UsageError, p.Message),
            CommandRuntimeException r => (UsageError, r.Message),
            OperationCanceledException => (Failure, "cancelled."),
            _ => (Failure, e.Message),
        };
        Console.Error.WriteLine($"scratchrl: error: {message.ReplaceLineEndings(" ")}");
        return code;
    }
}
