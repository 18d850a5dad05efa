using System.Globalization;
using Training.Reporting;
using Training.Runs;

namespace ScratchRl.Cli;

/// <summary>
/// Where a command may write a run: never over an existing run unless asked. A folder "holds a run" when it has any
/// file a run writes (config.json is written the moment a run starts, so a run stopped early counts too).
/// </summary>
internal static class RunFolders
{
    /// <summary>The files a run writes (<see cref="TrainingRun"/>, <see cref="RunFolder"/>).</summary>
    public static readonly string[] RunFiles =
    [
        RunFolder.ConfigFile, RunFolder.MetricsFile, RunFolder.CurveFile, RunFolder.ReportFile,
        TrainingRun.ModelFileName, TrainingRun.LastFileName, TrainingRun.CheckpointFileName, TrainingRun.SummaryFileName,
    ];

    public static bool HoldsRun(string folder) =>
        Directory.Exists(folder) && RunFiles.Any(file => File.Exists(Path.Combine(folder, file)));

    /// <summary>
    /// The first of <paramref name="folder"/>, <c>folder-2</c>, <c>folder-3</c>, … that does not hold a run: the default
    /// folder of a command, so running it twice keeps both results.
    /// </summary>
    public static string NextFree(string folder)
    {
        string candidate = folder;
        for (int i = 2; HoldsRun(candidate) || File.Exists(candidate); i++)
            candidate = string.Create(CultureInfo.InvariantCulture, $"{folder}-{i}");
        return candidate;
    }

    /// <summary>
    /// Makes <paramref name="folder"/> ready for a new run: refuses (usage error) when it already holds one, unless
    /// <paramref name="overwrite"/>, which deletes the old run's files first (only those; other files stay). Creates
    /// the folder, naming it and the reason when that fails. <paramref name="resume"/> is how the refusal says to
    /// continue the run (<c>--resume</c> for train, <c>train --resume</c> for sweep).
    /// </summary>
    public static void Claim(string folder, bool overwrite, string resume = "--resume")
    {
        if (HoldsRun(folder))
        {
            if (!overwrite)
                throw new UsageException(
                    $"'{folder}' already holds a run; continue it with {resume} {folder}, choose another folder with --out, or replace it with --overwrite.");
            foreach (string file in RunFiles)
                File.Delete(Path.Combine(folder, file));
        }
        Create(folder);
    }

    /// <summary>Creates a folder for output; an I/O failure names the folder and the reason.</summary>
    public static void Create(string folder)
    {
        if (File.Exists(folder))
            throw new IOException($"cannot use '{folder}' as a folder: it is a file.");
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string existing = NearestExisting(folder);
            string reason = File.Exists(existing) ? $"'{existing}' is a file"
                : e is UnauthorizedAccessException ? $"no permission to write in '{existing}'"
                : $"'{existing}' does not take new folders: {e.Message}";
            throw new IOException($"cannot create the folder '{folder}': {reason}.", e);
        }
    }

    /// <summary>The longest prefix of <paramref name="path"/> that exists (as a file or a folder).</summary>
    private static string NearestExisting(string path)
    {
        string? current = Path.GetFullPath(path);
        while (current is not null && !Directory.Exists(current) && !File.Exists(current))
            current = Path.GetDirectoryName(current);
        return current ?? path;
    }
}
