namespace ScratchRl.Tests;

/// <summary>Gives each test a fresh temporary folder path (created by whoever writes into it), deleted afterwards.</summary>
public abstract class TempFolderTest
{
    protected string Folder { get; private set; } = "";

    [SetUp]
    public void CreateFolderPath() => Folder = TrainCliFixtures.NewFolder();

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
    }
}
