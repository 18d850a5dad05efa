using Dqn.Training;
using Training.Runs;

namespace Dqn.Tests.Training;

public class DeterminismTests
{
    private static (List<int> Online, List<int> Target, List<int> Best, string Metrics) Run(ulong seed)
    {
        var trainer = TrainerFixtures.CartPoleTrainer(TrainerFixtures.Small(seed));
        trainer.Train();
        return (TrainerFixtures.Bits(trainer.QNetwork), TrainerFixtures.Bits(trainer.TargetQNetwork),
            TrainerFixtures.Bits(trainer.BestNetwork), TrainerFixtures.MetricsWithoutTime(trainer.Metrics.ToCsv()));
    }

    [Test]
    public void TheSameSeedGivesBitIdenticalWeightsAndMetrics()
    {
        var a = Run(11);
        var b = Run(11);
        Assert.That(b.Online, Is.EqualTo(a.Online));
        Assert.That(b.Target, Is.EqualTo(a.Target));
        Assert.That(b.Best, Is.EqualTo(a.Best));
        Assert.That(b.Metrics, Is.EqualTo(a.Metrics));
    }

    [Test]
    public void AnotherSeedGivesOtherWeights()
    {
        var a = Run(11);
        var b = Run(12);
        Assert.That(b.Online, Is.Not.EqualTo(a.Online));
        Assert.That(b.Metrics, Is.Not.EqualTo(a.Metrics));
    }
}
