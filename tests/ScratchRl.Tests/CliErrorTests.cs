using ScratchRl.Cli;

namespace ScratchRl.Tests;

public class CliErrorTests
{
    [Test]
    public void UnknownCommandIsAUsageError()
    {
        var (code, stdout, stderr) = CliRun.Run(null, "no-such-verb");
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, "no-such-verb");
    }
}
