using Training.Config;
using Dqn.Training;
using Training.Runs;

namespace Dqn.Tests.Training;

public class ResumeTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "scratchrl-resume-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    public static IEnumerable<TestCaseData> Variants()
    {
        yield return new TestCaseData(TrainerFixtures.Small(), 777L).SetName("Resume_Default");
        yield return new TestCaseData(TrainerFixtures.Small() with { Prioritized = true, Dueling = true }, 777L).SetName("Resume_PrioritizedDueling");
        yield return new TestCaseData(TrainerFixtures.Small() with { NStep = 5, DoubleDqn = false, Tau = 1, TargetNetworkFrequency = 50, Optimizer = OptimizerKind.Sgd, LearningRate = 0.01 }, 777L)
            .SetName("Resume_FiveStepHardCopySgd");
        yield return new TestCaseData(TrainerFixtures.Small() with { Prioritized = true }, 0L).SetName("Resume_BeforeTheFirstStep");
        yield return new TestCaseData(TrainerFixtures.Small(), 100L).SetName("Resume_RightBeforeTheFirstUpdate");
    }

    [TestCaseSource(nameof(Variants))]
    public void AResumedRunEndsBitIdenticalToAnUninterruptedOne(TrainConfig config, long pauseAt)
    {
        var whole = TrainerFixtures.CartPoleTrainer(config);
        var wholeOutcome = whole.Train();

        // Cut (at step 777: mid-episode, with n-step transitions pending), save, rebuild from the file, finish.
        var first = TrainerFixtures.CartPoleTrainer(config);
        first.PauseAtStep = pauseAt;
        var paused = first.Train();
        Assert.That(paused.Finished, Is.False);
        Assert.That(paused.Steps, Is.EqualTo(pauseAt));
        string path = Path.Combine(_folder, "checkpoint.safetensors");
        first.CaptureCheckpoint().Write(path);
        var resumed = DqnTrainer.Resume(path, TrainerFixtures.CartPole);
        Assert.That(resumed.Step, Is.EqualTo(pauseAt));
        var outcome = resumed.Train();

        Assert.That(outcome.Finished, Is.True);
        Assert.That(TrainerFixtures.Bits(resumed.QNetwork), Is.EqualTo(TrainerFixtures.Bits(whole.QNetwork)), "online");
        Assert.That(TrainerFixtures.Bits(resumed.TargetQNetwork), Is.EqualTo(TrainerFixtures.Bits(whole.TargetQNetwork)), "target");
        Assert.That(TrainerFixtures.Bits(resumed.BestNetwork), Is.EqualTo(TrainerFixtures.Bits(whole.BestNetwork)), "best");
        Assert.That(TrainerFixtures.MetricsWithoutTime(resumed.Metrics.ToCsv()), Is.EqualTo(TrainerFixtures.MetricsWithoutTime(whole.Metrics.ToCsv())));
        Assert.That(outcome.Updates, Is.EqualTo(wholeOutcome.Updates));
        Assert.That(outcome.Episodes, Is.EqualTo(wholeOutcome.Episodes));
        Assert.That(outcome.FinalEvaluation!.Returns, Is.EqualTo(wholeOutcome.FinalEvaluation!.Returns));
        var a = resumed.Optimizer.StateDict();
        var b = whole.Optimizer.StateDict();
        Assert.That(a.Step, Is.EqualTo(b.Step));
        foreach (var (key, tensor) in b.Tensors)
            Assert.That(a.Tensors[key].Data, Is.EqualTo(tensor.Data), key);
    }

    [Test]
    public void ResumingTwiceFromTheSameCheckpointGivesTheSameRun()
    {
        var config = TrainerFixtures.Small();
        var first = TrainerFixtures.CartPoleTrainer(config);
        first.PauseAtStep = 400;
        first.Train();
        string path = Path.Combine(_folder, "checkpoint.safetensors");
        first.CaptureCheckpoint().Write(path);
        var a = DqnTrainer.Resume(path, TrainerFixtures.CartPole);
        a.Train();
        var b = DqnTrainer.Resume(path, TrainerFixtures.CartPole);
        b.Train();
        Assert.That(TrainerFixtures.Bits(b.QNetwork), Is.EqualTo(TrainerFixtures.Bits(a.QNetwork)));
    }

    [Test]
    public void AFinishedRunCannotTrainAgain()
    {
        var trainer = TrainerFixtures.CartPoleTrainer(TrainerFixtures.Small() with { TotalTimesteps = 200 });
        trainer.Train();
        Assert.That(trainer.Finished, Is.True);
        Assert.That(() => trainer.Train(), Throws.InvalidOperationException.With.Message.Contains("finished at step 200"));
    }

    [Test]
    public void ANonCheckpointFileIsRefusedWithItsName()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        var trainer = TrainerFixtures.CartPoleTrainer(TrainerFixtures.Small());
        trainer.SaveModel(path, best: true, new Dictionary<string, string>());
        Assert.That(() => DqnTrainer.Resume(path, TrainerFixtures.CartPole),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains(path).And.Message.Contains("scratchrl-dqn-checkpoint"));
        File.WriteAllText(path, "not safetensors");
        Assert.That(() => DqnTrainer.Resume(path, TrainerFixtures.CartPole),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains(path));
    }

    [Test]
    public void ACheckpointIsTheStateOfTheMomentItWasCapturedWhenWrittenLater()
    {
        // Runs write checkpoints in the background while training goes on: a capture must not see the later steps.
        var config = TrainerFixtures.Small();
        var trainer = TrainerFixtures.CartPoleTrainer(config);
        trainer.PauseAtStep = 777;
        trainer.Train();
        var capture = trainer.CaptureCheckpoint();
        trainer.PauseAtStep = 1_200;
        trainer.Train();
        string path = Path.Combine(_folder, "checkpoint.safetensors");
        capture.Write(path);

        var reference = TrainerFixtures.CartPoleTrainer(config);
        reference.PauseAtStep = 777;
        reference.Train();
        var resumed = DqnTrainer.Resume(path, TrainerFixtures.CartPole);
        Assert.That(resumed.Step, Is.EqualTo(777));
        Assert.That(resumed.Updates, Is.EqualTo(reference.Updates));
        Assert.That(TrainerFixtures.Bits(resumed.QNetwork), Is.EqualTo(TrainerFixtures.Bits(reference.QNetwork)), "online");
        Assert.That(TrainerFixtures.Bits(resumed.TargetQNetwork), Is.EqualTo(TrainerFixtures.Bits(reference.TargetQNetwork)), "target");
        Assert.That(resumed.Replay.GetState().Observations, Is.EqualTo(reference.Replay.GetState().Observations), "replay memory");
        Assert.That(TrainerFixtures.MetricsWithoutTime(resumed.Metrics.ToCsv()), Is.EqualTo(TrainerFixtures.MetricsWithoutTime(reference.Metrics.ToCsv())));
        Assert.That(TrainerFixtures.Bits(trainer.QNetwork), Is.Not.EqualTo(TrainerFixtures.Bits(reference.QNetwork)), "training did go on");
    }

    [Test]
    public void AnotherEnvironmentIsDetectedWhenTheEpisodeIsReplayed()
    {
        var config = TrainerFixtures.Small();
        var first = TrainerFixtures.CartPoleTrainer(config);
        first.PauseAtStep = 777;
        first.Train();
        string path = Path.Combine(_folder, "checkpoint.safetensors");
        first.CaptureCheckpoint().Write(path);
        // A time limit of 3 steps: the saved episode (longer than 3 steps) cannot be replayed.
        Assert.That(() => DqnTrainer.Resume(path, c => TrainerFixtures.CartPole(c with { MaxEpisodeSteps = 3 })),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not the one the checkpoint was made with"));
    }
}
