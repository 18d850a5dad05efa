using System.Diagnostics;
using System.Globalization;
using Training.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ScratchRl.Commands;

/// <summary>
/// Shows training progress: on a terminal a live Spectre.Console panel redrawn in place (steps with a bar, episodes,
/// recent return, ε, loss, last evaluation, env steps/s and updates/s); when the output is redirected, a plain line
/// at each evaluation and at most every few seconds otherwise, whose rates are over the interval since the previous
/// line (the snapshot's own rates cover only the last fraction of a second); with quiet, nothing. Reports arrive on the training
/// thread (the trainer calls <see cref="Report"/> synchronously), so drawing needs no locking.
/// </summary>
internal sealed class TrainProgressDisplay : IProgress<TrainingProgress>
{
    private const double PlainLineSeconds = 5;

    private readonly IAnsiConsole? _console;
    private readonly TextWriter? _plain;
    private readonly string _title;
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private LiveDisplayContext? _live;
    private long _lastEvaluationStep = -1;
    private TrainingProgress? _lastLine;

    private TrainProgressDisplay(IAnsiConsole? console, TextWriter? plain, string title)
    {
        _console = console;
        _plain = plain;
        _title = title;
    }

    /// <summary>A live panel on <paramref name="output"/> when it is a terminal, plain lines when redirected, nothing when quiet.</summary>
    public static TrainProgressDisplay Create(TextWriter output, bool redirected, bool quiet, string title)
    {
        if (quiet)
            return new TrainProgressDisplay(null, null, title);
        if (redirected)
            return new TrainProgressDisplay(null, output, title);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        return new TrainProgressDisplay(console, null, title);
    }

    /// <summary>Runs <paramref name="work"/> with this display receiving its progress (inside the live panel when there is one).</summary>
    public T Run<T>(Func<IProgress<TrainingProgress>, T> work)
    {
        if (_console is null)
        {
            _plain?.WriteLine(_title);
            return work(this);
        }
        T result = default!;
        _console.Live(Render(null)).AutoClear(false).Start(context =>
        {
            _live = context;
            result = work(this);
        });
        _live = null;
        return result;
    }

    public void Report(TrainingProgress value)
    {
        if (_live is { } live)
        {
            live.UpdateTarget(Render(value));
            live.Refresh();
            return;
        }
        if (_plain is null)
            return;
        bool newEvaluation = value.LastEvaluation is { } e && e.Step != _lastEvaluationStep;
        if (!newEvaluation && _sinceLine.Elapsed.TotalSeconds < PlainLineSeconds)
            return;
        _lastEvaluationStep = value.LastEvaluation?.Step ?? -1;
        _plain.WriteLine(PlainLine(value, _lastLine));
        _plain.Flush();
        _lastLine = value;
        _sinceLine.Restart();
    }

    /// <summary>
    /// One progress line; steps/s and updates/s are (count − count at <paramref name="previous"/>) / (time since it),
    /// or, for the first line, since the start of this process's part of the run.
    /// </summary>
    internal static string PlainLine(TrainingProgress p, TrainingProgress? previous)
    {
        var inv = CultureInfo.InvariantCulture;
        var (stepsPerSecond, updatesPerSecond) = RatesSince(p, previous);
        string line = string.Create(inv, $"step {p.Step}/{p.TotalSteps}  episodes {p.Episodes}  return({p.RecentWindow}) {Value(p.RecentReturn)}{Exploration(p)}");
        if (p.LastEvaluation is { } e)
            line += string.Create(inv, $"  eval {e.Mean:0.0}±{e.Std:0.0} @{e.Step}");
        line += string.Create(inv, $"  {stepsPerSecond:0} steps/s  {updatesPerSecond:0} updates/s  {p.Elapsed.TotalSeconds:0.0}s");
        return line;
    }

    private static (double Steps, double Updates) RatesSince(TrainingProgress p, TrainingProgress? previous)
    {
        double seconds = (p.Elapsed - (previous?.Elapsed ?? TimeSpan.Zero)).TotalSeconds;
        if (seconds <= 0)
            return (p.EnvStepsPerSecond, p.UpdatesPerSecond);
        return ((p.Step - (previous?.Step ?? 0)) / seconds, (p.Updates - (previous?.Updates ?? 0)) / seconds);
    }

    private IRenderable Render(TrainingProgress? p)
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = new List<IRenderable> { new Markup($"[bold]{Markup.Escape(_title)}[/]") };
        if (p is null)
        {
            rows.Add(new Markup("[grey]starting…[/]"));
            return new Rows(rows);
        }
        rows.Add(new Markup(string.Create(inv, $"{Bar(p.Fraction, 32)}  {p.Step:N0} / {p.TotalSteps:N0} steps ({p.Fraction * 100:0}%)")));
        rows.Add(new Markup(string.Create(inv,
            $"episodes [bold]{p.Episodes:N0}[/]  return (last {p.RecentWindow}) [bold]{Value(p.RecentReturn)}[/]{Exploration(p)}  loss {(p.Loss is { } l ? l.ToString("0.0000", inv) : "–")}  updates {p.Updates:N0}")));
        string evaluation = p.LastEvaluation is { } e
            ? string.Create(inv, $"[bold]{e.Mean:0.0}[/] ± {e.Std:0.0} at step {e.Step:N0}")
            : "[grey]none yet[/]";
        string solved = p.SolvedAtStep is { } s ? string.Create(inv, $"  [green]solved at step {s:N0}[/]") : "";
        rows.Add(new Markup($"evaluation {evaluation}{solved}"));
        rows.Add(new Markup(string.Create(inv,
            $"[grey]{p.EnvStepsPerSecond:N0} env steps/s  {p.UpdatesPerSecond:N0} updates/s  {p.Elapsed.TotalSeconds:0.0} s  Ctrl-C stops and saves[/]")));
        return new Rows(rows);
    }

    private static string Bar(double fraction, int width)
    {
        int full = (int)Math.Round(fraction * width);
        return "[green]" + new string('━', full) + "[/][grey]" + new string('─', width - full) + "[/]";
    }

    private static string Value(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    /// <summary>"  ε 0.050" for a learner that explores ε-greedily; nothing for one that samples its policy (PPO, REINFORCE).</summary>
    private static string Exploration(TrainingProgress p) => p.Epsilon is { } e ? string.Create(CultureInfo.InvariantCulture, $"  ε {e:0.000}") : "";
}
