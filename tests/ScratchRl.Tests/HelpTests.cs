using System.Text.RegularExpressions;
using ScratchRl.Cli;
using Spectre.Console;

namespace ScratchRl.Tests;

/// <summary>
/// <c>--help</c> of the root and of every verb the app registers renders completely, piped (no ANSI, not interactive)
/// and as in a terminal (ANSI, true colour, interactive): Spectre reads descriptions as markup, so one unescaped
/// <c>[0, 1]</c> made <c>train --help</c> fail half-way.
/// </summary>
public partial class HelpTests
{
    public enum Profile { Piped, Terminal }

    [TestCase(Profile.Piped)]
    [TestCase(Profile.Terminal)]
    public void HelpOfTheRootAndOfEveryVerbRenders(Profile profile)
    {
        var verbs = Verbs();
        Assert.That(verbs, Is.SupersetOf(new[] { "train", "eval", "play", "sweep" }), "the root help lists the verbs");
        foreach (string[] args in new[] { new[] { "--help" } }.Concat(verbs.Select(v => new[] { v, "--help" })))
        {
            var (code, output, stderr) = Help(args, profile);
            Assert.That(code, Is.EqualTo(ScratchRlApp.Success), $"{string.Join(' ', args)}: {stderr}");
            Assert.That(stderr, Is.Empty, string.Join(' ', args));
            Assert.That(output, Does.Contain("USAGE:"), string.Join(' ', args));
            if (args[0] != "--help")
                Assert.That(output, Does.Contain("OPTIONS:").And.Contain("--help"), string.Join(' ', args));
        }
    }

    [Test]
    public void TrainHelpShowsTheRangesAsWritten()
    {
        var (_, output, _) = Help(["train", "--help"], Profile.Piped);
        Assert.That(output, Does.Contain("Discount factor γ").And.Contain("in [0, 1]"), "brackets in descriptions print as written");
    }

    [Test]
    public void TheRootHelpHasExamplesOfTheMainVerbs()
    {
        var (_, output, _) = Help(["--help"], Profile.Piped);
        string examples = output[output.IndexOf("EXAMPLES:", StringComparison.Ordinal)..output.IndexOf("OPTIONS:", StringComparison.Ordinal)];
        foreach (string verb in new[] { "train", "eval", "play", "sweep", "cartpole", "q-update" })
            Assert.That(examples, Does.Contain($"scratchrl {verb} "), verb);
    }

    [TestCase("γ in [0, 1]")]
    [TestCase("τ in (0, 1]")]
    [TestCase("a [b] c")]
    [TestCase("already escaped [[0, 1]]")]
    [TestCase("plain")]
    public void ADescriptionIsShownAsWrittenWhetherOrNotItWasEscaped(string description)
    {
        // What the text prints as: rendered by Spectre itself, without styles.
        string safe = PlainDescriptionsHelpProvider.Safe(description)!;
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer),
        });
        console.Write(new Markup(safe));
        string expected = description.Contains("[[", StringComparison.Ordinal) ? description.Replace("[[", "[").Replace("]]", "]") : description;
        Assert.That(writer.ToString(), Is.EqualTo(expected));
    }

    /// <summary>The verbs the app registers, read from the COMMANDS section of its root help.</summary>
    private static List<string> Verbs()
    {
        var (code, output, stderr) = Help(["--help"], Profile.Piped);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        string commands = output[(output.IndexOf("COMMANDS:", StringComparison.Ordinal) + "COMMANDS:".Length)..];
        return [.. CommandLine().Matches(commands).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^    ([a-z][a-z-]*)\s{2,}", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    /// <summary>Runs <paramref name="args"/> (a --help call) in-process with help rendered to a console of the given profile.</summary>
    internal static (int Code, string Output, string Stderr) Help(string[] args, Profile profile)
    {
        var writer = new StringWriter { NewLine = "\n" };
        bool terminal = profile == Profile.Terminal;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.TrueColor : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        var stderr = new StringWriter { NewLine = "\n" };
        var oldErr = Console.Error;
        Console.SetError(stderr);
        try
        {
            int code = ScratchRlApp.Run(args, console);
            return (code, writer.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetError(oldErr);
        }
    }
}
