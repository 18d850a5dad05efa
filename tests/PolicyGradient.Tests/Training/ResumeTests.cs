using PolicyGradient.Training;
using Training.Config;

namespace PolicyGradient.Tests.Training;

/// <summary>A checkpoint is the whole state: a run cut, saved, reloaded and finished ends bit-identical to one never cut.</summary>
public class ResumeTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "scratchrl-pg-resume-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestCase(Algorithm.Ppo, 64L)]
    [TestCase(Algorithm.Ppo, 0L)]
    [TestCase(Algorithm.Reinforce, 128L)]
    public void AResumedRunEndsBitIdenticalToAnUninterruptedOne(Algorithm algorithm, long pauseAt)
    {
        // Episodes end at 20 steps or earlier, so at the cut the envs are mid-episode after several auto-resets.
        var config = PgFixtures.Small(algorithm);
        var whole = PgFixtures.Trainer(config);
        var wholeOutcome = whole.Train();

        var first = PgFixtures.Trainer(config);
        first.PauseAtStep = pauseAt;
        var paused = first.Train();
        Assert.That(paused.Finished, Is.False);
        Assert.That(paused.Steps, Is.EqualTo(pauseAt));
        string path = Path.Combine(_folder, "checkpoint.safetensors");
        first.CaptureCheckpoint().Write(path);
        var resumed = (PolicyGradientTrainer)PolicyGradientTrainers.Instance.Resume(path, PgFixtures.CartPole);
        Assert.That(resumed.Step, Is.EqualTo(pauseAt));
        var outcome = resumed.Train();

        Assert.That(outcome.Finished, Is.True);
        Assert.That(PgFixtures.Bits(resumed.Agent), Is.EqualTo(PgFixtures.Bits(whole.Agent)), "agent");
        Assert.That(PgFixtures.Bits(resumed.State.Best), Is.EqualTo(PgFixtures.Bits(whole.State.Best)), "best");
        Assert.That(PgFixtures.MetricsWithoutTime(resumed.Metrics.ToCsv()), Is.EqualTo(PgFixtures.MetricsWithoutTime(whole.Metrics.ToCsv())));
        Assert.That(outcome.Updates, Is.EqualTo(wholeOutcome.Updates));
        Assert.That(outcome.Episodes, Is.EqualTo(wholeOutcome.Episodes));
        Assert.That(outcome.FinalEvaluation!.Returns, Is.EqualTo(wholeOutcome.FinalEvaluation!.Returns));
        Assert.That(resumed.Optimizer.Lr, Is.EqualTo(whole.Optimizer.Lr));
        var a = resumed.Optimizer.StateDict();
        var b = whole.Optimizer.StateDict();
        Assert.That(a.Step, Is.EqualTo(b.Step));
        foreach (var (key, tensor) in b.Tensors)
            Assert.That(a.Tensors[key].Data, Is.EqualTo(tensor.Data), key);
    }

    [Test]
    public void ACheckpointOfAnotherKindIsRefusedByName()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        var trainer = PgFixtures.Trainer(PgFixtures.Small(Algorithm.Ppo));
        trainer.SaveModel(path, best: false, new Dictionary<string, string>());
        Assert.That(() => PolicyGradientTrainers.Instance.Resume(path, PgFixtures.CartPole),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("scratchrl-pg-checkpoint"));
        Assert.That(PolicyGradientState.IsCheckpoint(path), Is.False);
    }
}
