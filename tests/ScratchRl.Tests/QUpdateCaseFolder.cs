namespace ScratchRl.Tests;

/// <summary>A fresh copy of a q-update reference case in a temporary folder, deleted on Dispose.</summary>
internal sealed class QUpdateCaseFolder : IDisposable
{
    private QUpdateCaseFolder(string name)
    {
        Source = Path.Combine(AppContext.BaseDirectory, "data", "reference", "qupdate", name);
        Folder = Directory.CreateTempSubdirectory($"qupdate-{name}-").FullName;
        foreach (string file in Directory.GetFiles(Source))
            File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)));
    }

    public static QUpdateCaseFolder Copy(string name) => new(name);

    /// <summary>The shipped case folder (never written to).</summary>
    public string Source { get; }

    /// <summary>The temporary copy to run in.</summary>
    public string Folder { get; }

    public string PathOf(string file) => Path.Combine(Folder, file);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
