using System.Text;

namespace TinyTorch.IO;

/// <summary>
/// Writes files so that a reader (or a crash) sees either the old content or the complete new content, never a
/// half-written file. The content goes to a temporary file in the target's directory (same file system, so the
/// final rename is atomic), is flushed to disk, then replaces the target with <c>File.Move(temp, path, overwrite: true)</c>.
/// If anything throws, the temporary file is deleted, the target is left as it was, and the exception propagates.
/// The target's directory must exist. A replaced file gets default permissions, not those of the file it replaces.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static long s_tempCounter;

    /// <summary>Writes <paramref name="bytes"/> as the whole content of <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlyMemory<byte> bytes) =>
        Write(path, stream => stream.Write(bytes.Span));

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream => stream.Write(Utf8NoBom.GetBytes(text)));
    }

    /// <summary>Streams text (UTF-8, no byte-order mark) through a <see cref="TextWriter"/>: CSV, HTML, SVG.</summary>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true);
            write(writer);
        });
    }

    /// <summary>
    /// Lets <paramref name="write"/> fill the file through a stream. The callback must not dispose the stream;
    /// flushing and closing it is done here.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        string? directory = Path.GetDirectoryName(fullPath);
        if (fileName.Length == 0 || directory is null)
            throw new ArgumentException($"'{path}' is not a file path (it names a directory or a root).", nameof(path));

        string tempPath;
        FileStream stream = CreateTemp(directory, fileName, out tempPath);
        try
        {
            using (stream)
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Opens a new temporary file next to the target. Process id and a counter make the name unique among writers;
    /// <see cref="FileMode.CreateNew"/> refuses a leftover of a crashed process, and then the next name is tried.
    /// </summary>
    private static FileStream CreateTemp(string directory, string fileName, out string tempPath)
    {
        const int attempts = 100;
        for (int attempt = 1; ; attempt++)
        {
            long n = Interlocked.Increment(ref s_tempCounter);
            tempPath = Path.Combine(directory, $".{fileName}.{Environment.ProcessId}.{n}.tmp");
            try
            {
                return new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            }
            catch (IOException) when (attempt < attempts && File.Exists(tempPath))
            {
                // The name is taken: try the next one.
            }
        }
    }

    private static void TryDelete(string tempPath)
    {
        try
        {
            File.Delete(tempPath);
        }
        catch (IOException)
        {
            // The original exception matters more than a temporary file that could not be removed.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
