using ScratchRl.Commands;
using Training.Reporting;

namespace ScratchRl.Tests;

public class ProgressLineTests
{
    [Test]
    public void RatesAreOverTheIntervalSinceThePreviousLine()
    {
        // The snapshot's own rates (over its last fraction of a second) say 0; the line must not.
        var previous = new TrainingProgress { Step = 1_000, TotalSteps = 10_000, Episodes = 10, Epsilon = 0.5, Updates = 100, Elapsed = TimeSpan.FromSeconds(1) };
        var now = previous with { Step = 3_000, Updates = 2_600, Elapsed = TimeSpan.FromSeconds(1.5), EnvStepsPerSecond = 0, UpdatesPerSecond = 0 };
        string line = TrainProgressDisplay.PlainLine(now, previous);
        Assert.That(line, Does.Contain(" 4000 steps/s  5000 updates/s"));
    }

    [Test]
    public void TheFirstLineCountsFromTheStart()
    {
        var first = new TrainingProgress { Step = 600, TotalSteps = 1_200, Episodes = 3, Epsilon = 0.5, Updates = 500, Elapsed = TimeSpan.FromSeconds(2) };
        Assert.That(TrainProgressDisplay.PlainLine(first, null), Does.Contain(" 300 steps/s  250 updates/s"));
    }
}
