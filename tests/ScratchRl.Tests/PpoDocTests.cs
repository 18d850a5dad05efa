using ScratchRl.Cli;

namespace ScratchRl.Tests;

/// <summary>
/// docs/PPO.md's update by hand is what the command prints: the command after <c>&lt;!-- ppo-update output --&gt;</c> is
/// run on the page's tiny files (tests/data/ppo-tiny) and must print the block that follows it, word for word, numbers
/// within a relative 1e-4 (the last printed digit depends on the CPU's kernels).
/// </summary>
public class PpoDocTests
{
    [Test]
    public void TheUpdateByHandIsTheCommandsOutput()
    {
        string[] lines = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "PPO.md")).ReplaceLineEndings("\n").Split('\n');
        int i = Array.IndexOf(lines, "<!-- ppo-update output -->");
        Assert.That(i, Is.GreaterThanOrEqualTo(0), "docs/PPO.md marks its ppo-update example");
        string[] command = Fenced(lines, ref i), expected = Fenced(lines, ref i);
        string[] args = string.Join(" ", command.Select(l => l.TrimEnd('\\'))).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(args[0], Is.EqualTo("scratchrl"));

        string folder = Directory.CreateTempSubdirectory("ppo-doc-").FullName;
        try
        {
            foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "data", "ppo-tiny")))
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            var (code, stdout, stderr) = CliRun.Run(folder, args[1..]);
            Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
            string[] actual = stdout.TrimEnd('\n').Split('\n');
            Assert.That(actual, Has.Length.EqualTo(expected.Length), "lines printed");
            for (int k = 0; k < expected.Length; k++)
                Assert.That(QUpdateDocTests.SameLine(actual[k], expected[k]), $"line {k + 1}:\n  printed: {actual[k]}\n  doc:     {expected[k]}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The lines of the fenced block starting after <paramref name="i"/>; leaves <paramref name="i"/> after it.</summary>
    private static string[] Fenced(string[] lines, ref int i)
    {
        while (!lines[i].StartsWith("```", StringComparison.Ordinal))
            i++;
        int start = ++i;
        while (!lines[i].StartsWith("```", StringComparison.Ordinal))
            i++;
        return lines[start..i++];
    }
}
