using ScratchRl.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScratchRl.Cli;

/// <summary>
/// The <c>scratchrl</c> command line. Exit codes: 0 success, 2 usage error (bad flag or value),
/// 1 failure (a file that cannot be read, a run that fails). Errors are one readable line on stderr, never a stack trace.
/// </summary>
public static partial class ScratchRlApp
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    /// <summary>Runs the command line <paramref name="args"/>; help and Spectre's own output go to <paramref name="console"/> (default: the terminal).</summary>
    public static int Run(string[] args, IAnsiConsole? console = null)
    {
        var app = new CommandApp();
        // Spectre reads descriptions as markup: each is escaped here, and the help provider escapes any it is given unescaped.
        app.Configure(config =>
        {
            config.SetApplicationName("scratchrl");
            if (console is not null)
                config.ConfigureConsole(console);
            config.PropagateExceptions();
            // Relaxed parsing passes unknown options on as remaining arguments: train's and sweep's config flags, declared
            // once in TrainConfigFields; TrainConfigSettings.BindConfigFlags refuses them for every other command.
            config.Settings.StrictParsing = false;
            config.SetHelpProvider(new PlainDescriptionsHelpProvider(new TrainConfigHelpProvider(config.Settings, "train", "sweep")));
            config.SetInterceptor(new MissingValueCheck());
            config.AddExample("train");
            config.AddExample("train", "--preset", "zoo", "--seed", "3", "--json");
            config.AddExample("train", "--resume", "runs/fast-1");
            config.AddExample("eval", "--model", "runs/fast-1/model.safetensors", "--episodes", "100");
            config.AddExample("play", "--model", "runs/fast-1/model.safetensors", "--svg", "episode.svg");
            config.AddExample("sweep", "--preset", "fast", "--seeds", "10", "--parallel", "2");
            config.AddExample("sweep", "--collect", "runs/slurm-*");
            config.AddExample("cartpole", "--policy", "balance", "--seed", "3", "--svg", "episode.svg");
            config.AddExample("q-update", "--weights", "w.safetensors", "--target-weights", "t.safetensors", "--batch", "b.safetensors", "--explain");
            config.AddCommand<CartPoleCommand>("cartpole")
                .WithDescription(Markup.Escape("Play CartPole-v1 (bit-exact with Gymnasium) from an exact state, with given actions or a policy; print steps as JSON lines, a table or text frames; write an SVG animation."))
                .WithExample("cartpole", "--state", "0.01,0,-1.5e-05,0", "--actions", "1,0,1,1", "--json")
                .WithExample("cartpole", "--cases-file", "cases.jsonl", "--json")
                .WithExample("cartpole", "--policy", "balance", "--seed", "3", "--svg", "episode.svg")
                .WithExample("cartpole", "--policy", "random", "--animate");
            config.AddCommand<QUpdateCommand>("q-update")
                .WithDescription(Markup.Escape("One DQN gradient step (or --steps N on the same batch) as PyTorch computes it, on an MLP and a batch stored as safetensors; prints each step's loss, writes the updated network; --explain prints every intermediate value."))
                .WithExample("q-update", "--weights", "weights.safetensors", "--target-weights", "target.safetensors", "--batch", "batch.safetensors", "--gamma", "0.99", "--lr", "0.001", "--loss", "huber", "--optimizer", "adam", "--steps", "1", "--out", "out.safetensors", "--explain");
            config.AddCommand<PpoUpdateCommand>("ppo-update")
                .WithDescription("One PPO gradient step (or --steps N on the same batch) as CleanRL's ppo.py computes it in PyTorch, on an actor-critic agent and a minibatch stored as safetensors; prints each step's loss, pg_loss, v_loss, entropy, approx_kl and clipfrac, writes the updated agent; --explain prints every intermediate value.")
                .WithExample("ppo-update", "--weights", "weights.safetensors", "--batch", "batch.safetensors", "--lr", "0.00025", "--clip-coef", "0.2", "--ent-coef", "0.01", "--vf-coef", "0.5", "--max-grad-norm", "0.5", "--adam-eps", "1e-05", "--steps", "1", "--out", "out.safetensors", "--json")
                .WithExample("ppo-update", "--weights", "weights.safetensors", "--batch", "batch.safetensors", "--lr", "0.001", "--max-grad-norm", "none", "--no-norm-adv", "--steps", "3", "--out", "out.safetensors", "--explain");
            config.AddCommand<TrainCommand>("train")
                .WithDescription(Markup.Escape("Train DQN (or tabular Q-learning) on CartPole-v1 with a live progress display; writes a run folder with model.safetensors, metrics, curve and report.html. Ctrl-C stops and saves; --resume continues."))
                .WithExample("train")
                .WithExample("train", "--preset", "zoo", "--seed", "3", "--json")
                .WithExample("train", "--lr", "3e-4", "--hidden", "64,64", "--double", "--n-step", "3", "--no-stop")
                .WithExample("train", "--resume", "runs/fast-1");
            config.AddCommand<EvalCommand>("eval")
                .WithDescription(Markup.Escape("Evaluate a saved model greedily on CartPole-v1: mean, std, min and max return over fixed seeds."))
                .WithExample("eval", "--model", "runs/fast-1/model.safetensors", "--episodes", "100", "--json");
            config.AddCommand<PlayCommand>("play")
                .WithDescription(Markup.Escape("Watch a saved model play one CartPole-v1 episode in the terminal, or write it as an animated SVG."))
                .WithExample("play", "--model", "runs/fast-1/model.safetensors")
                .WithExample("play", "--model", "runs/fast-1/model.safetensors", "--seed", "7", "--svg", "episode.svg");
            config.AddCommand<SweepCommand>("sweep")
                .WithDescription(Markup.Escape("Train a config on several seeds, side by side on every core, and print the solve rate, median env steps to solve and median wall time; writes sweep.html and sweep.json. --collect builds them from run folders trained anywhere."))
                .WithExample("sweep", "--preset", "fast", "--seeds", "10", "--first-seed", "1")
                .WithExample("sweep", "--preset", "fast", "--seeds", "4", "--parallel", "2", "--out", "runs/sweep")
                .WithExample("sweep", "--collect", "runs/run-1", "runs/run-2", "runs/run-3", "--out", "runs/collected");
        });
        try
        {
            return app.Run(AttachNegativeValues(args));
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    /// <summary>
    /// Spectre.Console.Cli reads an argument that starts with '-' as an option unless it starts with '-' and a digit,
    /// and even then it splits it at spaces: <c>--state "-.5,0,0,0"</c> or <c>--state "-0.01, 0, 0, 0"</c> fail. So a
    /// value that starts with '-' followed by a digit or '.' is attached to the long option before it
    /// (<c>--state=-.5,0,0,0</c>), a form Spectre takes verbatim.
    /// </summary>
    internal static string[] AttachNegativeValues(string[] args)
    {
        var result = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && !arg.Contains('=') && i + 1 < args.Length
                && LooksNegative(args[i + 1]))
            {
                result.Add(arg + "=" + args[i + 1]);
                i++;
            }
            else
            {
                result.Add(arg);
            }
        }
        return [.. result];
    }

    private static bool LooksNegative(string value) =>
        value.Length >= 2 && value[0] == '-' && (char.IsAsciiDigit(value[1]) || value[1] == '.');

    /// <summary>What Spectre.Console.Cli binds to an option given without its value (at the end, or before another option).</summary>
    private const string MissingValuePlaceholder = "__default_command";

    /// <summary>
    /// Spectre.Console.Cli does not report an option that takes a value but was given none: it binds the text
    /// <see cref="MissingValuePlaceholder"/> to it (so <c>--svg</c> alone would write a file of that name). Before a
    /// command runs, this check names the option instead.
    /// </summary>
    private sealed class MissingValueCheck : ICommandInterceptor
    {
        public void Intercept(CommandContext context, CommandSettings settings)
        {
            TrainConfigSettings.BindConfigFlags(context, settings);
            foreach (var property in settings.GetType().GetProperties())
            {
                if (property.PropertyType == typeof(string) && property.GetValue(settings) is MissingValuePlaceholder
                    && property.GetCustomAttributes(typeof(CommandOptionAttribute), inherit: true).FirstOrDefault() is CommandOptionAttribute option)
                    throw new UsageException($"--{option.LongNames[0]} needs a value.");
            }
        }

        public void InterceptResult(CommandContext context, CommandSettings settings, ref int result)
        {
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Option '([^']+)' is defined but no value has been provided")]
    private static partial System.Text.RegularExpressions.Regex MissingValue();

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
        // A number option given without its value fails to convert the placeholder (see MissingValueCheck).
        if (message.Contains(MissingValuePlaceholder, StringComparison.Ordinal))
            (code, message) = (UsageError, "an option that takes a value was given none; see --help.");
        // With relaxed parsing (see Run) Spectre itself refuses an option given without its value; name it as the checks do.
        if (e is CommandParseException && MissingValue().Match(message) is { Success: true } missing)
            message = $"--{missing.Groups[1].Value} needs a value.";
        Console.Error.WriteLine($"scratchrl: error: {message.ReplaceLineEndings(" ")}");
        return code;
    }
}
