using ScratchRl.Cli;

namespace ScratchRl.Tests;

/// <summary>
/// Runs <c>scratchrl</c> in-process inside a folder (the arguments' relative paths resolve there) with stdout and stderr
/// captured. Tests in this assembly run one at a time, so swapping the console and the current directory is safe.
/// </summary>
internal static class QUpdateCliRun
{
    public static (int Code, string Stdout, string Stderr) Run(string folder, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var (oldOut, oldErr, oldDirectory) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        Environment.CurrentDirectory = folder;
        try
        {
            int code = ScratchRlApp.Run(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = oldDirectory;
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <summary>A fresh copy of reference case <paramref name="name"/> in a temporary folder, deleted by <see cref="IDisposable.Dispose"/>.</summary>
    public static CaseFolder CopyCase(string name) => new(name);

    internal sealed class CaseFolder : IDisposable
    {
        public CaseFolder(string name)
        {
            Source = Path.Combine(AppContext.BaseDirectory, "data", "reference", "qupdate", name);
            Folder = Directory.CreateTempSubdirectory($"qupdate-{name}-").FullName;
            foreach (string file in Directory.GetFiles(Source))
                File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)));
        }

        /// <summary>The shipped case folder (never written to).</summary>
        public string Source { get; }

        /// <summary>The temporary copy to run in.</summary>
        public string Folder { get; }

        public string PathOf(string file) => Path.Combine(Folder, file);

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
