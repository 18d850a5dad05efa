namespace ScratchRl.Cli;

/// <summary>
/// A file the user named for output (<c>--svg FILE</c>, ...): checked before the work that produces it, and written
/// with errors that name the user's path, not the temporary file an atomic write goes through.
/// </summary>
internal static class OutputFile
{
    /// <summary>Throws <see cref="IOException"/> naming <paramref name="flag"/> and <paramref name="path"/> when its folder is missing or it is a folder.</summary>
    public static void Check(string flag, string path)
    {
        if (Directory.Exists(path))
            throw new IOException($"{flag} '{path}' is a folder; give a file name.");
        string? parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null && !Directory.Exists(parent))
            throw new IOException($"{flag} '{path}': the folder '{parent}' does not exist.");
    }

    /// <summary>Checks <paramref name="path"/>, then runs <paramref name="write"/>; an I/O failure names the path.</summary>
    public static void Write(string flag, string path, Action<string> write)
    {
        Check(flag, path);
        try
        {
            write(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{flag} '{path}': cannot write the file ({(e is UnauthorizedAccessException ? "permission denied" : "I/O error")}).", e);
        }
    }
}
