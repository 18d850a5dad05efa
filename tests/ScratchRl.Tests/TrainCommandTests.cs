using Dqn;
using System.Text.Json;
using Training.Config;
using Dqn.Training;
using ScratchRl.Cli;
using ScratchRl.Commands;
using Training.Runs;

namespace ScratchRl.Tests;

public class TrainCommandTests : TempFolderTest
{
    [Test]
    public void JsonLastLineHasTheRunsResultAndTheFolderItsFiles()
    {
        var (code, stdout, stderr) = CliRun.Run(null, 
            ["train", .. TrainCliFixtures.TinyRun, "--seed", "4", "--no-stop", "--out", Folder, "--json", "--quiet"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var json = JsonDocument.Parse(TrainCliFixtures.LastLine(stdout)).RootElement;
        Assert.That(json.GetProperty("solved").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
        Assert.That(json.GetProperty("solved_at_step").ValueKind, Is.AnyOf(JsonValueKind.Null, JsonValueKind.Number));
        Assert.That(json.GetProperty("env_steps").GetInt64(), Is.EqualTo(1200));
        Assert.That(json.GetProperty("updates").GetInt64(), Is.EqualTo(275), "one every 4 steps (train_frequency 4) after the first 100");
        Assert.That(json.GetProperty("wall_seconds").GetDouble(), Is.GreaterThan(0));
        Assert.That(json.GetProperty("eval_episodes").GetInt32(), Is.EqualTo(3));
        Assert.That(json.GetProperty("eval_mean_return").GetDouble(), Is.InRange(1, 500));
        Assert.That(json.GetProperty("seed").GetUInt64(), Is.EqualTo(4));
        Assert.That(json.GetProperty("preset").GetString(), Is.EqualTo("fast"));
        string model = json.GetProperty("model").GetString()!;
        Assert.That(model, Is.EqualTo(Path.Combine(Folder, "model.safetensors")));
        Assert.That(ModelFile.Load(model).Description, Is.EqualTo("MLP 4-16-2"));

        var config = TrainConfigJson.Load(Path.Combine(Folder, "config.json"));
        Assert.That(config.HiddenSizes, Is.EqualTo(new[] { 16 }));
        Assert.That(config.StopWhenSolved, Is.False);
        Assert.That(config.Seed, Is.EqualTo(4));
        Assert.That(config.LearningRate, Is.EqualTo(Presets.Fast.LearningRate), "fields without a flag keep the preset's value");
        Assert.That(stderr, Does.Contain("model   " + model), "the human summary goes to stderr with --json");
    }

    [Test]
    public void WithoutJsonThePathsArePrintedAndProgressLinesWhenRedirected()
    {
        var (code, stdout, stderr) = CliRun.Run(null, ["train", .. TrainCliFixtures.TinyRun, "--out", Folder]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout, Does.Contain("step 600/1200").And.Contain("eval "), "a plain line at each evaluation");
        Assert.That(stdout, Does.Contain($"model   {Path.Combine(Folder, "model.safetensors")}"));
        Assert.That(stdout, Does.Contain($"report  {Path.Combine(Folder, "report.html")}"));
    }

    [Test]
    public void ResumeContinuesAStoppedRunToItsEnd()
    {
        // Stop a run after its first evaluation, as Ctrl-C would, then continue it from the command line.
        var (_, config) = new TrainSettings().BuildConfig();
        config = config with { TotalTimesteps = 1200, LearningStarts = 100, HiddenSizes = [16], EvalFrequency = 600, EvalEpisodes = 2, FinalEvalEpisodes = 3, BufferSize = 1000, BatchSize = 16 };
        var run = TrainingRun.Create(DqnTrainers.Instance, config, Folder, "fast");
        ((DqnTrainer)run.Trainer).PauseAtStep = 700;
        Assert.That(run.Run().Outcome.Finished, Is.False);

        var (code, stdout, stderr) = CliRun.Run(null, ["train", "--resume", Folder, "--json", "--quiet"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var json = JsonDocument.Parse(TrainCliFixtures.LastLine(stdout)).RootElement;
        Assert.That(json.GetProperty("resumed").GetBoolean(), Is.True);
        Assert.That(json.GetProperty("finished").GetBoolean(), Is.True);
        Assert.That(json.GetProperty("env_steps").GetInt64(), Is.EqualTo(1200));
        Assert.That(json.GetProperty("updates").GetInt64(), Is.EqualTo(275), "one every 4 steps (train_frequency 4) after the first 100");

        var (again, _, againErr) = CliRun.Run(null, ["train", "--resume", Folder]);
        Assert.That(again, Is.EqualTo(ScratchRlApp.Failure));
        TrainCliFixtures.AssertOneErrorLine("", againErr, "already finished at step 1200");
    }

    [TestCase(new[] { "--lr", "-1" }, "--lr must be a finite number > 0, got -1.")]
    [TestCase(new[] { "--gamma", "1.5" }, "--gamma must be in [0, 1], got 1.5.")]
    [TestCase(new[] { "--total-steps", "0" }, "--total-steps must be ≥ 1, got 0.")]
    [TestCase(new[] { "--preset", "nope" }, "unknown preset 'nope'; expected one of: fast, zoo, cleanrl, seed, qtable, ppo, ppo-fast, reinforce.")]
    [TestCase(new[] { "--seed", "abc" }, "--seed must be a whole number ≥ 0, got 'abc'.")]
    [TestCase(new[] { "--seed", "-3" }, "--seed must be a whole number ≥ 0, got '-3'.")]
    [TestCase(new[] { "--hidden", "64,x" }, "--hidden must be comma-separated whole numbers")]
    [TestCase(new[] { "--algo", "sac" }, "--algo must be dqn, qtable, ppo or reinforce, got 'sac'.")]
    [TestCase(new[] { "--batch-size", "20000" }, "--batch-size (20000) must be ≤ buffer_size (10000).")]
    [TestCase(new[] { "--tau", "0" }, "--tau must be in (0, 1], got 0.")]
    [TestCase(new[] { "--no-such-flag" }, "no-such-flag")]
    [TestCase(new[] { "--lr" }, "--lr")]
    [TestCase(new[] { "--resume", "somewhere", "--lr", "0.1" }, "--resume continues a run with its saved config and folder; drop --lr, --out.")]
    [TestCase(new[] { "--threads", "0" }, "--threads must be at least 1, got 0.")]
    [TestCase(new[] { "--threads", "two" }, "--threads must be")]
    public void BadInputIsAUsageErrorOnOneLine(string[] flags, string message)
    {
        var (code, stdout, stderr) = CliRun.Run(null, ["train", .. flags, "--out", Folder]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError), stderr);
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, message);
        Assert.That(Directory.Exists(Folder), Is.False, "nothing is written");
    }

    [Test]
    public void ResumingAFolderWithoutARunIsAFailure()
    {
        var (code, stdout, stderr) = CliRun.Run(null, ["train", "--resume", Folder]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"cannot resume: run folder '{Folder}' does not exist.");
    }
}
