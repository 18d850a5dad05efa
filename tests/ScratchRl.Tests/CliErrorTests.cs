using ScratchRl.Cli;

namespace ScratchRl.Tests;

public class CliErrorTests
{
    [Test]
    public void UnknownCommandIsAUsageError()
    {
        Assert.That(ScratchRlApp.Run(["no-such-verb"]), Is.EqualTo(ScratchRlApp.UsageError));
    }
}
