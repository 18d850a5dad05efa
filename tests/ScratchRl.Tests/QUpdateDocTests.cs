using System.Globalization;
using System.Text.RegularExpressions;
using ScratchRl.Cli;
using TinyTorch.IO;

namespace ScratchRl.Tests;

/// <summary>
/// docs/QUPDATE.md shows what the code is and what the command prints: its C# excerpt is lines of QUpdate.cs, and each
/// command marked <c>&lt;!-- q-update output: FOLDER --&gt;</c> is run in that folder (the page's hand-made files, or a
/// copy of a reference case) and must print the block that follows it, word for word, numbers within a relative 1e-4
/// (the last printed digit depends on the CPU's kernels). A block may skip lines with a line starting "...": the lines
/// after it must then appear, in order, later in the output.
/// </summary>
public partial class QUpdateDocTests
{
    private static string Doc => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "QUPDATE.md"));

    private static IEnumerable<TestCaseData> Examples()
    {
        string[] lines = Doc.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            Match marker = Marker().Match(lines[i]);
            if (!marker.Success)
                continue;
            int next = i + 1;
            string[] command = Fenced(lines, ref next);
            string[] output = Fenced(lines, ref next);
            yield return new TestCaseData(marker.Groups[1].Value, command, output).SetName($"Example at line {i + 1} ({marker.Groups[1].Value})");
        }
    }

    [Test]
    public void EveryExampleIsMarked() =>
        Assert.That(Examples().Count(), Is.EqualTo(Regex.Matches(Doc, "^scratchrl q-update", RegexOptions.Multiline).Count), "a q-update command without its marker");

    [TestCaseSource(nameof(Examples))]
    public void TheCommandPrintsTheBlockBelowIt(string folderName, string[] command, string[] expected)
    {
        string[] args = string.Join(" ", command.Select(l => l.TrimEnd('\\'))).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(args[0], Is.EqualTo("scratchrl"));
        using var folder = folderName == "hand" ? HandFolder.Create() : null;
        using var reference = folderName == "hand" ? null : QUpdateCaseFolder.Copy(folderName);
        var (code, stdout, stderr) = CliRun.Run(folder?.Path ?? reference!.Folder, args[1..]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        string[] actual = stdout.TrimEnd('\n').Split('\n');

        int skip = Array.FindIndex(expected, l => l.StartsWith("...", StringComparison.Ordinal));
        string[] head = skip < 0 ? expected : expected[..skip];
        if (skip < 0)
            Assert.That(actual, Has.Length.EqualTo(expected.Length), "lines printed");
        for (int i = 0; i < head.Length; i++)
            AssertSameLine(actual[i], head[i], i);
        if (skip < 0)
            return;
        int at = head.Length;
        foreach (string line in expected[(skip + 1)..])
        {
            while (at < actual.Length && !SameLine(actual[at], line))
                at++;
            Assert.That(at, Is.LessThan(actual.Length), $"'{line}' after the skipped lines");
            at++;
        }
    }

    /// <summary>The page's C# excerpt is the code: every line of it is a line of QUpdate.cs.</summary>
    [Test]
    public void TheExcerptIsTheSource()
    {
        string doc = Doc;
        int start = doc.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        string[] excerpt = doc[start..doc.IndexOf("\n```", start, StringComparison.Ordinal)].Split('\n');
        var source = new HashSet<string>(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "QUpdate.cs.txt")).Select(l => l.Trim()));
        Assert.That(excerpt.Length, Is.GreaterThan(20));
        foreach (string line in excerpt)
            Assert.That(source, Does.Contain(line.Trim()), "a line of the excerpt that QUpdate.cs does not have");
    }

    private static void AssertSameLine(string actual, string expected, int index) =>
        Assert.That(SameLine(actual, expected), $"line {index + 1}:\n  printed: {actual}\n  doc:     {expected}");

    /// <summary>The same words; numbers (with their brackets and punctuation) within 1e-4 relative or 1e-6.</summary>
    internal static bool SameLine(string actual, string expected)
    {
        string[] a = actual.Split(' ', StringSplitOptions.RemoveEmptyEntries), e = expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (a.Length != e.Length)
            return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == e[i])
                continue;
            Match x = Number().Match(a[i]), y = Number().Match(e[i]);
            if (!x.Success || !y.Success || x.Groups[1].Value != y.Groups[1].Value || x.Groups[3].Value != y.Groups[3].Value)
                return false;
            double u = double.Parse(x.Groups[2].Value, CultureInfo.InvariantCulture), v = double.Parse(y.Groups[2].Value, CultureInfo.InvariantCulture);
            if (!(Math.Abs(u - v) <= 1e-4 * Math.Max(Math.Abs(u), Math.Abs(v)) + 1e-6))
                return false;
        }
        return true;
    }

    /// <summary>The lines of the fenced block starting at or after <paramref name="i"/>; leaves <paramref name="i"/> after it.</summary>
    private static string[] Fenced(string[] lines, ref int i)
    {
        while (!lines[i].StartsWith("```", StringComparison.Ordinal))
            i++;
        int start = ++i;
        while (!lines[i].StartsWith("```", StringComparison.Ordinal))
            i++;
        return lines[start..i++];
    }

    [GeneratedRegex(@"^<!-- q-update output: (\w+) -->$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^([(\[]?)(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)([;,.)\]]*)$")]
    private static partial Regex Number();

    /// <summary>The page's hand-made files: the 2-2-2 network, its dueling 2-2-3 variant, their targets and the batch.</summary>
    private sealed class HandFolder : IDisposable
    {
        private HandFolder(string path) => Path = path;

        public string Path { get; }

        public static HandFolder Create()
        {
            var folder = new HandFolder(Directory.CreateTempSubdirectory("qupdate-doc-").FullName);
            float[] w1 = [1, -1, 0.5f, 1], b1 = [0, 0.5f];
            folder.Network("weights.safetensors", w1, b1, [2, 2], [1, 0.5f, -1, 1], [0, 0.5f], dueling: false);
            folder.Network("target.safetensors", w1, b1, [2, 2], [1, 0, 0, 1], [0, 0], dueling: false);
            folder.Network("dueling.safetensors", w1, b1, [3, 2], [0.5f, 0, 1, 0.5f, -1, 1], [0, 0, 0.5f], dueling: true);
            folder.Network("dueling_target.safetensors", w1, b1, [3, 2], [0, 0, 1, 0, 0, 1], [0, 0, 0], dueling: true);
            new SafetensorsFile(
            [
                SafetensorsEntry.FromArray<float>("obs", [1, 2, 2, -1], [2, 2]),
                SafetensorsEntry.FromArray<long>("actions", [0, 1], [2]),
                SafetensorsEntry.FromArray<float>("rewards", [1, -1.5f], [2]),
                SafetensorsEntry.FromArray<float>("next_obs", [2, 0, 0, 1], [2, 2]),
                SafetensorsEntry.FromArray<float>("dones", [0, 1], [2]),
            ]).Write(System.IO.Path.Combine(folder.Path, "batch.safetensors"));
            return folder;
        }

        private void Network(string name, float[] w1, float[] b1, int[] w2Shape, float[] w2, float[] b2, bool dueling) =>
            new SafetensorsFile(
            [
                SafetensorsEntry.FromArray<float>("0.weight", w1, [2, 2]),
                SafetensorsEntry.FromArray<float>("0.bias", b1, [2]),
                SafetensorsEntry.FromArray<float>("2.weight", w2, w2Shape),
                SafetensorsEntry.FromArray<float>("2.bias", b2, [w2Shape[0]]),
            ], dueling ? new Dictionary<string, string> { ["dueling"] = "true" } : null).Write(System.IO.Path.Combine(Path, name));

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
