using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScratchRl.Cli;

namespace ScratchRl.Tests;

/// <summary>
/// The shell blocks of README.md, docs/TRAINING.md and docs/RESULTS.md are what the command line does.
/// <list type="bullet">
/// <item>A block after <c>&lt;!-- doc-test: run --&gt;</c> is run as written, line by line, in order, in one empty
/// folder. Each line is <c>scratchrl ARGS</c>, <c>dotnet run -c Release --project src/ScratchRl -- ARGS</c> or
/// <c>cd DIR &amp;&amp; scratchrl ARGS</c> (a trailing <c># comment</c>, "double quotes" and <c>\</c> continuations
/// allowed), and must exit 0.</item>
/// <item>A text block after <c>&lt;!-- doc-test: output of the first command (numbers may differ) --&gt;</c> must be
/// printed by that block's first command, line by line, with every number read as "some number" (the numbers of a
/// training run depend on the CPU's rounding); a line "..." skips printed lines.</item>
/// <item>Every other shell block that calls scratchrl says why it is not run: <c>&lt;!-- doc-test: not run (why) --&gt;</c>.</item>
/// <item>TRAINING.md's <c>--json</c> example has exactly the keys <c>train --json</c> prints.</item>
/// </list>
/// </summary>
public partial class DocCommandTests : TempFolderTest
{
    private static readonly string[] Pages = ["README.md", "TRAINING.md", "RESULTS.md"];

    private static string Page(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", name));

    /// <summary>A fenced shell block of a page with the doc-test marker above it ("" when unmarked).</summary>
    public sealed record ShellBlock(string Page, int Line, string Marker, string[] Lines, string[]? Output);

    private static IEnumerable<ShellBlock> ShellBlocks(string page)
    {
        string[] lines = Page(page).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "```sh")
                continue;
            int start = i + 1, end = start;
            while (!lines[end].StartsWith("```", StringComparison.Ordinal))
                end++;
            string marker = i >= 2 && lines[i - 1].Length == 0 && lines[i - 2].StartsWith("<!-- doc-test:", StringComparison.Ordinal) ? lines[i - 2]
                : i >= 1 && lines[i - 1].StartsWith("<!-- doc-test:", StringComparison.Ordinal) ? lines[i - 1] : "";
            yield return new ShellBlock(page, i + 1, marker, lines[start..end], OutputAfter(lines, end + 1));
            i = end;
        }
    }

    /// <summary>The text block after the next output marker, if that marker comes before the next shell block.</summary>
    private static string[]? OutputAfter(string[] lines, int from)
    {
        for (int i = from; i < lines.Length && lines[i] != "```sh"; i++)
        {
            if (!lines[i].StartsWith("<!-- doc-test: output of the first command", StringComparison.Ordinal))
                continue;
            int start = i + 2, end = start;
            Assert.That(lines[i + 1], Is.EqualTo("```text"), $"the output marker at line {i + 1} is followed by a text block");
            while (lines[end] != "```")
                end++;
            return lines[start..end];
        }
        return null;
    }

    private static IEnumerable<TestCaseData> RunBlocks() =>
        Pages.SelectMany(ShellBlocks).Where(b => b.Marker == "<!-- doc-test: run -->")
            .Select(b => new TestCaseData(b).SetName($"{b.Page} block at line {b.Line}"));

    [Test]
    public void EveryShellBlockThatCallsScratchrlIsRunOrSaysWhyNot()
    {
        var blocks = Pages.SelectMany(ShellBlocks).Where(b => Commands(b.Lines).Any()).ToList();
        Assert.That(blocks.Count(b => b.Marker == "<!-- doc-test: run -->"), Is.GreaterThanOrEqualTo(3));
        foreach (var block in blocks)
            Assert.That(block.Marker, Does.Match(@"^<!-- doc-test: (run|not run \(.+\)) -->$"), $"{block.Page}, block at line {block.Line}");
    }

    [TestCaseSource(nameof(RunBlocks))]
    public void TheBlockRunsAsWritten(ShellBlock block)
    {
        Directory.CreateDirectory(Folder);
        var commands = Commands(block.Lines).ToList();
        Assert.That(commands, Is.Not.Empty);
        for (int i = 0; i < commands.Count; i++)
        {
            var (folder, args) = commands[i];
            string where = Path.Combine(Folder, folder);
            var (code, stdout, stderr) = CliRun.Run(where, args);
            Assert.That(code, Is.EqualTo(ScratchRlApp.Success), $"scratchrl {string.Join(' ', args)}\n{stderr}");
            if (i == 0 && block.Output is { } expected)
                AssertPrintsAllowingOtherNumbers(stdout + stderr, expected);
        }
    }

    [Test]
    public void TheJsonExampleHasTheKeysTrainPrints()
    {
        string doc = Page("TRAINING.md");
        int start = doc.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var example = JsonNode.Parse(doc[start..doc.IndexOf("\n```", start, StringComparison.Ordinal)])!.AsObject();

        var (code, stdout, stderr) = CliRun.Run(null, ["train", .. TrainCliFixtures.TinyRun, "--out", Folder, "--json", "--quiet"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var printed = JsonNode.Parse(TrainCliFixtures.LastLine(stdout))!.AsObject();

        Assert.That(Keys(example), Is.EqualTo(Keys(printed)));
        Assert.That(example["heldout_mean_return"], Is.Not.Null, "the example shows the held-out evaluation");
    }

    [Test]
    public void NumbersAreReadAsSomeNumber()
    {
        Assert.That(Shape("   θ − step      0.531972234"), Is.EqualTo(Shape("θ − step -1.5e-05")));
        Assert.That(Shape("row 48 alone"), Is.Not.EqualTo(Shape("row alone")));
        Assert.That(Shape("Adam, t = 5000"), Is.Not.EqualTo(Shape("SGD, t = 5000")));
    }

    /// <summary>Every key path of a JSON object, nested objects included.</summary>
    private static List<string> Keys(JsonObject json, string prefix = "")
    {
        var keys = new List<string>();
        foreach (var (key, value) in json)
        {
            keys.Add(prefix + key);
            if (value is JsonObject inner)
                keys.AddRange(Keys(inner, prefix + key + "."));
        }
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private static void AssertPrintsAllowingOtherNumbers(string printed, string[] expected)
    {
        string[] actual = printed.Split('\n').Select(Shape).ToArray();
        int at = 0;
        bool skipping = true;
        foreach (string line in expected)
        {
            if (line == "...")
            {
                skipping = true;
                continue;
            }
            string want = Shape(line);
            if (skipping)
            {
                while (at < actual.Length && actual[at] != want)
                    at++;
            }
            Assert.That(at, Is.LessThan(actual.Length), $"not printed (numbers aside), in this order: {line}");
            Assert.That(actual[at], Is.EqualTo(want), $"printed next (numbers aside): {line}");
            at++;
            skipping = false;
        }
    }

    /// <summary>A line with every number replaced by # and runs of spaces by one (column widths follow the numbers).</summary>
    private static string Shape(string line) => Spaces().Replace(NumberPattern().Replace(line.Trim(), "#"), " ");

    /// <summary>The scratchrl commands of a shell block: the folder (relative) each runs in, and its arguments.</summary>
    private static IEnumerable<(string Folder, string[] Args)> Commands(string[] lines)
    {
        var joined = new StringBuilder();
        foreach (string raw in lines)
        {
            string line = StripComment(raw).TrimEnd();
            if (line.EndsWith('\\'))
            {
                joined.Append(line[..^1]).Append(' ');
                continue;
            }
            joined.Append(line);
            string command = joined.ToString().Trim();
            joined.Clear();
            string folder = "";
            Match cd = ChangeDirectory().Match(command);
            if (cd.Success)
                (folder, command) = (cd.Groups[1].Value, command[cd.Length..]);
            foreach (string prefix in (string[])["scratchrl ", "dotnet run -c Release --project src/ScratchRl -- "])
            {
                if (command.StartsWith(prefix, StringComparison.Ordinal))
                    yield return (folder, Words(command[prefix.Length..]));
            }
        }
    }

    /// <summary>The line without a shell comment: from a # at the start or after a space, outside double quotes.</summary>
    private static string StripComment(string line)
    {
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
                quoted = !quoted;
            else if (line[i] == '#' && !quoted && (i == 0 || line[i - 1] == ' '))
                return line[..i];
        }
        return line;
    }

    /// <summary>Splits at spaces; "double quotes" keep a word together and are removed, as the shell does.</summary>
    private static string[] Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in command)
        {
            if (c == '"')
                (quoted, any) = (!quoted, true);
            else if (c == ' ' && !quoted)
            {
                if (any)
                    words.Add(word.ToString());
                (word, any) = (new StringBuilder(), false);
            }
            else
                (word, any) = (word.Append(c), true);
        }
        if (any)
            words.Add(word.ToString());
        return [.. words];
    }

    [GeneratedRegex(@"-?\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^cd (\S+) && ")]
    private static partial Regex ChangeDirectory();
}
