using TinyTorch.Optim;

namespace TinyTorch.Tests.Optim;

/// <summary>CleanRL's linear annealing: frac = 1 − (i − 1)/N, lr = frac·lr₀.</summary>
public class LinearLrScheduleTests
{
    [Test]
    public void AnnealsFromLr0ToLr0OverN()
    {
        var schedule = new LinearLrSchedule(2.5e-4, 4);
        Assert.That(Enumerable.Range(1, 4).Select(schedule.LrAt), Is.EqualTo(new[] { 2.5e-4, 1.875e-4, 1.25e-4, 0.625e-4 }).Within(1e-18));
    }

    [Test]
    public void ApplySetsTheOptimizersLr()
    {
        var adam = new Adam([Torch.Zeros(1).RequiresGrad_()], lr: 1);
        new LinearLrSchedule(1e-3, 10).Apply(adam, 6);
        Assert.That(adam.Lr, Is.EqualTo(5e-4).Within(1e-18));
    }

    [TestCase(0)]
    [TestCase(5)]
    public void RejectsAnIterationOutOfRange(int iteration) =>
        Assert.That(() => new LinearLrSchedule(1e-3, 4).LrAt(iteration), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("1..4"));

    [Test]
    public void RejectsBadConstruction()
    {
        Assert.That(() => new LinearLrSchedule(-1, 4), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new LinearLrSchedule(1e-3, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
