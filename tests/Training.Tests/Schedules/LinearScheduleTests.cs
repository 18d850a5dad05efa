using Training.Schedules;

namespace Training.Tests.Schedules;

public class LinearScheduleTests
{
    /// <summary>CleanRL's linear_schedule, written out: slope = (end − start) / duration; max(slope·t + start, end).</summary>
    private static double CleanRl(double start, double end, double duration, long t) =>
        Math.Max((end - start) / duration * t + start, end);

    [Test]
    public void ExplorationAtTheEndpointsAndTheMidpoint()
    {
        // ε from 1 to 0.05 over 0.5 × 1000 = 500 steps.
        var schedule = LinearSchedule.Exploration(1.0, 0.05, 0.5, 1000);
        Assert.That(schedule.ValueAt(0), Is.EqualTo(1.0));
        Assert.That(schedule.ValueAt(250), Is.EqualTo(0.525).Within(1e-12));
        Assert.That(schedule.ValueAt(500), Is.EqualTo(0.05).Within(1e-12));
        Assert.That(schedule.ValueAt(999), Is.EqualTo(0.05));
        Assert.That(schedule.ValueAt(5000), Is.EqualTo(0.05));
    }

    [Test]
    public void MatchesCleanRlsFormulaAtEveryStep()
    {
        var schedule = LinearSchedule.Exploration(1.0, 0.05, 0.16, 50_000); // the zoo's fraction: 8000 steps
        for (long t = 0; t < 10_000; t += 37)
            Assert.That(schedule.ValueAt(t), Is.EqualTo(CleanRl(1.0, 0.05, 0.16 * 50_000, t)).Within(1e-12));
    }

    [Test]
    public void BetaAnnealsFromBeta0ToOne()
    {
        var beta = LinearSchedule.BetaAnnealing(0.4, 1000);
        Assert.That(beta.ValueAt(0), Is.EqualTo(0.4));
        Assert.That(beta.ValueAt(500), Is.EqualTo(0.7).Within(1e-12));
        Assert.That(beta.ValueAt(1000), Is.EqualTo(1.0));
        Assert.That(beta.ValueAt(2000), Is.EqualTo(1.0));
    }

    [Test]
    public void ZeroDurationIsTheEndValueFromTheStart()
    {
        var constant = LinearSchedule.Exploration(1.0, 0.0, 0.0, 1000);
        Assert.That(constant.ValueAt(0), Is.Zero);
        Assert.That(new LinearSchedule(0, 0, 0).ValueAt(10), Is.Zero);
    }

    [Test]
    public void BadArgumentsAreNamed()
    {
        Assert.That(() => new LinearSchedule(1, 0, -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("duration"));
        Assert.That(() => new LinearSchedule(double.NaN, 0, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("start"));
        Assert.That(() => new LinearSchedule(1, 0, 1).ValueAt(-1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
