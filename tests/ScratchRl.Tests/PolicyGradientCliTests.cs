using System.Text.Json;
using ScratchRl.Cli;
using TinyTorch.IO;

namespace ScratchRl.Tests;

/// <summary><c>train --algo ppo|reinforce</c> through the whole command line, and <c>eval</c>/<c>play</c> of the agents it writes.</summary>
public class PolicyGradientCliTests : TempFolderTest
{
    private static readonly string[] Short = ["--total-steps", "1024", "--eval-frequency", "512", "--eval-episodes", "1", "--final-eval-episodes", "2", "--heldout-episodes", "2", "--no-stop", "--quiet", "--json"];

    [TestCase("ppo")]
    [TestCase("reinforce")]
    public void AlgoAloneStartsFromItsPresetAndWritesACleanRlAgent(string algo)
    {
        string run = Path.Combine(Folder, algo);
        var (code, stdout, stderr) = CliRun.Run(null, ["train", "--algo", algo, "--out", run, .. Short]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var json = JsonDocument.Parse(TrainCliFixtures.LastLine(stdout)).RootElement;
        Assert.That(json.GetProperty("algo").GetString(), Is.EqualTo(algo));
        Assert.That(json.GetProperty("preset").GetString(), Is.EqualTo(algo));
        Assert.That(json.GetProperty("env_steps").GetInt64(), Is.EqualTo(1024));
        Assert.That(json.GetProperty("heldout_episodes").GetInt32(), Is.EqualTo(2));
        var model = SafetensorsFile.Read(Path.Combine(run, "model.safetensors"));
        Assert.That(model.Entries.Select(e => e.Name), Has.All.StartWith("actor.").Or.StartWith("critic."));
        Assert.That(model.Metadata!["algorithm"], Is.EqualTo(algo));
        Assert.That(File.ReadAllText(Path.Combine(run, "report.html")), Does.Contain(algo == "ppo" ? "PPO" : "REINFORCE"));
        Assert.That(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
    }

    [Test]
    public void EvalAndPlayTakeTheAgentGreedyOrSampled()
    {
        string run = Path.Combine(Folder, "ppo");
        var (code, _, stderr) = CliRun.Run(null, ["train", "--algo", "ppo", "--out", run, .. Short]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        string model = Path.Combine(run, "model.safetensors");

        var greedy = CliRun.Run(null, ["eval", "--model", model, "--episodes", "3"]);
        Assert.That(greedy.Code, Is.EqualTo(ScratchRlApp.Success), greedy.Stderr);
        Assert.That(greedy.Stdout, Does.Contain("PPO agent: actor 4-64-64-2, critic 4-64-64-1").And.Contain("3 greedy episodes"));

        // the same seed samples the same episodes
        var a = CliRun.Run(null, ["eval", "--model", model, "--episodes", "3", "--stochastic", "--seed", "9", "--json"]);
        var b = CliRun.Run(null, ["eval", "--model", model, "--episodes", "3", "--stochastic", "--seed", "9", "--json"]);
        Assert.That(a.Code, Is.EqualTo(ScratchRlApp.Success), a.Stderr);
        Assert.That(TrainCliFixtures.LastLine(a.Stdout), Is.EqualTo(TrainCliFixtures.LastLine(b.Stdout)));

        var play = CliRun.Run(null, ["play", "--model", model, "--stochastic", "--seed", "9"]);
        Assert.That(play.Code, Is.EqualTo(ScratchRlApp.Success), play.Stderr);
        Assert.That(play.Stdout, Does.Contain("seed 9: return "));
    }

    [Test]
    public void StochasticNeedsAPolicyAndACheckpointIsNotAModel()
    {
        string dqn = TrainCliFixtures.WriteBalanceModel(Folder);
        var (code, _, stderr) = CliRun.Run(null, ["eval", "--model", dqn, "--stochastic"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        Assert.That(stderr, Does.Contain("--stochastic samples from a policy"));

        string run = Path.Combine(Folder, "ppo");
        CliRun.Run(null, ["train", "--algo", "ppo", "--out", run, .. Short]);
        var checkpoint = CliRun.Run(null, ["eval", "--model", Path.Combine(run, "checkpoint.safetensors")]);
        Assert.That(checkpoint.Code, Is.EqualTo(ScratchRlApp.Failure));
        Assert.That(checkpoint.Stderr, Does.Contain("is a training checkpoint"));
    }
}

/// <summary>A PPO run stopped (as Ctrl-C stops it) and resumed through its folder ends as the uninterrupted run does.</summary>
public class PolicyGradientResumeTests : TempFolderTest
{
    [Test]
    public void AStoppedRunResumedFromItsFolderEndsWithTheSameModel()
    {
        var config = Training.Config.Presets.Get("ppo") with
        {
            TotalTimesteps = 2048, EvalFrequency = 512, EvalEpisodes = 1, FinalEvalEpisodes = 2, HeldoutEpisodes = 2, StopWhenSolved = false,
        };
        var whole = Training.Runs.TrainingRun.Create(Commands.Trainers.Instance, config, Path.Combine(Folder, "whole"), "ppo").Run();

        string cut = Path.Combine(Folder, "cut");
        using var stop = new CancellationTokenSource();
        var first = Training.Runs.TrainingRun.Create(Commands.Trainers.Instance, config, cut, "ppo")
            .Run(new StopAt(1024, stop), stop.Token);
        Assert.That(first.Outcome.Finished, Is.False);
        Assert.That(first.Outcome.Steps, Is.EqualTo(1024));
        var resumed = Training.Runs.TrainingRun.Resume(Commands.Trainers.Instance, cut);
        Assert.That(resumed.Trainer, Is.InstanceOf<PolicyGradient.Training.PpoTrainer>());
        var second = resumed.Run();

        Assert.That(second.Outcome.Finished, Is.True);
        Assert.That(File.ReadAllBytes(Path.Combine(cut, "last.safetensors")), Is.EqualTo(File.ReadAllBytes(Path.Combine(Folder, "whole", "last.safetensors"))));
        Assert.That(second.HeldOut!.Returns, Is.EqualTo(whole.HeldOut!.Returns));
    }

    /// <summary>Cancels as soon as a report at or past <paramref name="step"/> arrives (synchronously, unlike Progress&lt;T&gt;).</summary>
    private sealed class StopAt(long step, CancellationTokenSource stop) : IProgress<Training.Reporting.TrainingProgress>
    {
        public void Report(Training.Reporting.TrainingProgress value)
        {
            if (value.Step >= step)
                stop.Cancel();
        }
    }
}
