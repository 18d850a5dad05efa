using System.Globalization;
using CartPole;
using CartPole.Rendering;
using ScratchRl.Cli;
using Spectre.Console;
using Spectre.Console.Cli;
using TinyTorch;
using TinyTorch.IO;

namespace ScratchRl.Commands;

/// <summary>
/// <c>scratchrl cartpole</c>: plays CartPole-v1 episodes from an exact state with given actions (or a built-in policy)
/// and prints every step, as JSON lines for machines or as a table and text frames for people; <c>--cases-file</c>
/// replays many episodes at once; <c>--svg</c> writes the episode as an animation.
/// </summary>
public sealed class CartPoleCommand : Command<CartPoleSettings>
{
    public override int Execute(CommandContext context, CartPoleSettings settings, CancellationToken cancellationToken)
    {
        var options = BuildOptions(settings);
        if (settings.CasesFile != null)
            return RunCases(settings, options);
        return RunEpisode(settings, options, cancellationToken);
    }

    private static CartPoleOptions BuildOptions(CartPoleSettings s)
    {
        if (s.CasesFile != null && (s.State != null || s.Actions != null || s.Policy != null || s.Svg != null || s.Frames || s.Animate))
            throw new UsageException("--cases-file replays the file's own states and actions; it cannot be combined with --state, --actions, --policy, --svg, --frames or --animate.");
        if (s.Actions != null && s.Policy != null)
            throw new UsageException("give either --actions or --policy, not both.");
        if (s.Json && (s.Frames || s.Animate))
            throw new UsageException("--json prints JSON lines only; --frames and --animate are for the terminal.");
        TrainArguments.AtLeastOne("--max-steps", s.MaxSteps);
        var integrator = (s.Integrator ?? "euler").ToLowerInvariant() switch
        {
            "euler" => CartPoleIntegrator.Euler,
            "semi-implicit" or "semi-implicit-euler" => CartPoleIntegrator.SemiImplicitEuler,
            _ => throw new UsageException($"--integrator must be euler or semi-implicit, got '{s.Integrator}'."),
        };
        return new CartPoleOptions { MaxEpisodeSteps = s.MaxSteps, Integrator = integrator, SuttonBartoReward = s.SuttonBarto };
    }

    /// <summary>Replays every case of the file, in order, each from its exact state until it ends or its actions run out.</summary>
    private static int RunCases(CartPoleSettings settings, CartPoleOptions options)
    {
        var cases = CartPoleCase.LoadFile(settings.CasesFile!);
        var env = new CartPoleEnv(options);
        Span<float> obs = stackalloc float[4];
        if (settings.Json)
        {
            using var json = new CartPoleJsonLines(Console.Out);
            foreach (var c in cases)
            {
                env.ResetTo(c.State, obs);
                for (int t = 0; t < c.Actions.Length; t++)
                {
                    var r = env.Step(c.Actions[t], obs);
                    json.WriteStep(c.Name, t + 1, obs, r);
                    if (r.Done)
                        break;
                }
            }
            return ScratchRlApp.Success;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("case", "return", "end");
        foreach (var c in cases)
        {
            env.ResetTo(c.State, obs);
            float total = 0;
            StepResult last = default;
            int steps = 0;
            while (steps < c.Actions.Length && !last.Done)
            {
                last = env.Step(c.Actions[steps], obs);
                total += last.Reward;
                steps++;
            }
            table.AddRow(Markup.Escape(c.Name), total.ToString("0.##", CultureInfo.InvariantCulture),
                Markup.Escape(Ending(env.State, last, steps)));
        }
        var console = CreateConsole();
        console.Write(table);
        console.WriteLine($"{cases.Count} episodes replayed.");
        return ScratchRlApp.Success;
    }

    /// <summary>One episode: from --state or a seeded reset, with --actions or a policy.</summary>
    private static int RunEpisode(CartPoleSettings settings, CartPoleOptions options, CancellationToken cancellationToken)
    {
        int[]? actions = settings.Actions is { } a ? CartPoleCase.ParseActions(a) : null;
        CartPoleState? start = settings.State is { } st ? CartPoleCase.ParseState(st) : null;

        // --seed is Gymnasium's reset(seed=...) for the start state, and seeds the random policy's own generator.
        var policy = actions == null ? CartPolePolicy.Parse(settings.Policy ?? "random", new Rng(settings.Seed)) : null;

        var env = new CartPoleEnv(options);
        Span<float> obs = stackalloc float[4];
        if (start is { } s0)
            env.ResetTo(s0, obs);
        else
            env.Reset(obs, settings.Seed);

        var console = CreateConsole();
        bool color = console.Profile.Capabilities.Ansi;
        var states = new List<CartPoleState> { env.State };
        var rows = new List<(int Action, StepResult Result, CartPoleState State)>();
        using var json = settings.Json ? new CartPoleJsonLines(Console.Out) : null;
        var animation = settings.Animate ? new CartPoleTerminalAnimation(Console.Out) : null;
        if (settings.Frames)
            Console.Out.WriteLine(TextRenderer.Render(env.State, 0, color) + "\n");
        animation?.Show(TextRenderer.Render(env.State, 0, color));

        for (int step = 1; actions == null || step <= actions.Length; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int action = actions?[step - 1] ?? policy!.Act(env.State);
            var r = env.Step(action, obs);
            states.Add(env.State);
            rows.Add((action, r, env.State));
            json?.WriteStep(null, step, obs, r, actions == null ? action : null);
            if (settings.Frames)
                Console.Out.WriteLine(TextRenderer.Render(env.State, step, color) + "\n");
            animation?.Show(TextRenderer.Render(env.State, step, color));
            if (r.Done)
                break;
        }

        var last = rows.Count > 0 ? rows[^1].Result : default;
        string ending = Ending(env.State, last, rows.Count);
        if (!settings.Json && !settings.Frames && !settings.Animate)
        {
            console.Write(StepTable(rows));
            Console.Out.WriteLine(TextRenderer.Render(env.State, rows.Count, color));
        }
        if (!settings.Json)
        {
            float total = 0;
            foreach (var row in rows)
                total += row.Result.Reward;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ending}; return {total:0.##}."));
        }

        if (settings.Svg is { } svgPath)
        {
            string who = actions != null ? "given actions" : $"{(settings.Policy ?? "random").ToLowerInvariant()} policy, seed {settings.Seed}";
            WriteSvg(svgPath, states, $"CartPole-v1, {who}: {ending}");
            if (!settings.Json)
                Console.Out.WriteLine($"wrote {svgPath} ({states.Count} frames).");
        }
        return ScratchRlApp.Success;
    }

    private static Table StepTable(List<(int Action, StepResult Result, CartPoleState State)> rows)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("step", "act", "x", "ẋ", "θ (rad)", "θ̇", "reward", "end");
        foreach (var c in table.Columns.Take(7))
            c.RightAligned();
        var inv = CultureInfo.InvariantCulture;
        for (int i = 0; i < rows.Count; i++)
        {
            var (action, r, s) = rows[i];
            string end = r.Terminated && r.Truncated ? "both" : r.Terminated ? "terminated" : r.Truncated ? "truncated" : "";
            table.AddRow((i + 1).ToString(inv), action.ToString(inv),
                Signed(s.X), Signed(s.XDot), Signed(s.Theta), Signed(s.ThetaDot), r.Reward.ToString("0.0", inv), end);
        }
        return table;
    }

    private static string Signed(double value) => SignedNumber.Format(value, 4);

    /// <summary>Why the episode stopped, in words.</summary>
    private static string Ending(CartPoleState s, StepResult last, int steps)
    {
        if (!last.Done)
            return $"stopped after the last action at step {steps}, the episode still running";
        var inv = CultureInfo.InvariantCulture;
        var reasons = new List<string>();
        if (last.Terminated && Math.Abs(s.X) > CartPolePhysics.XThreshold)
            reasons.Add(string.Create(inv, $"cart at x = {s.X:0.000}"));
        if (last.Terminated && Math.Abs(s.Theta) > CartPolePhysics.ThetaThresholdRadians)
            reasons.Add(string.Create(inv, $"pole at {s.Theta * 180 / Math.PI:0.00}°"));
        if (last.Truncated)
            reasons.Add("time limit");
        string kind = last.Terminated && last.Truncated ? "terminated and truncated"
            : last.Terminated ? "terminated" : "truncated";
        return $"{kind} at step {steps}: {string.Join(", ", reasons)}";
    }

    private static void WriteSvg(string path, List<CartPoleState> states, string title)
    {
        try
        {
            AtomicFile.WriteAllText(path, SvgAnimation.Render(states, title));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write the SVG '{path}': {e.Message}", e);
        }
    }

    private static IAnsiConsole CreateConsole() =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
}
