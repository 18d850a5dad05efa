using System.Text.RegularExpressions;
using CartPole;
using Dqn;
using PolicyGradient.Training;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;
using Training.Config;
using Training.Evaluation;
using Training.Policies;

namespace ScratchRl.Tests;

/// <summary>
/// Each package README's example (src/*/README.md, shown on the package's page) is the body of one test below, line
/// for line: <see cref="ExampleIsThisFilesCode"/> checks the README's lines still appear here in order, and the test
/// runs them in a temporary folder and checks what they print and write.
/// </summary>
public class PackageReadmeTests : TempFolderTest
{
    private static readonly string ThisFile =
        Path.Combine(TestContext.CurrentContext.TestDirectory, "docs", "PackageReadmeTests.cs.txt");

    [TestCase("TinyTorch")]
    [TestCase("CartPole")]
    [TestCase("Training")]
    [TestCase("Dqn")]
    [TestCase("PolicyGradient")]
    public void ExampleIsThisFilesCode(string project)
    {
        string readme = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "docs", project + ".README.md"));
        var blocks = Regex.Matches(readme, "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.That(blocks, Has.Count.EqualTo(1), $"{project}/README.md should hold one C# example");
        string[] source = File.ReadAllLines(ThisFile).Select(l => l.Trim()).ToArray();
        int at = 0;
        foreach (string line in blocks[0].Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            if (line.StartsWith("using ", StringComparison.Ordinal))
            {
                Assert.That(source, Does.Contain(line), $"{project}/README.md: this file lacks '{line}'");
                continue;
            }
            while (at < source.Length && source[at] != line)
                at++;
            Assert.That(at, Is.LessThan(source.Length), $"{project}/README.md: '{line}' is not in this file's example (in order)");
            at++;
        }
    }

    [Test]
    public void TinyTorchExampleFitsXorAndSavesIt()
    {
        var output = RunInFolder(() =>
        {
            var rng = new Rng(seed: 0);
            var net = new Sequential(new Linear(2, 8, rng), new Tanh(), new Linear(8, 1, rng));
            var optimizer = new Adam(net.Parameters(), lr: 0.05);
            Tensor x = Torch.FromRows([[0, 0], [0, 1], [1, 0], [1, 1]]), y = Torch.FromArray([0f, 1, 1, 0], 4, 1);
            for (int step = 0; step < 300; step++) { optimizer.ZeroGrad(); net.Forward(x).MseLoss(y).Backward(); optimizer.Step(); }
            Safetensors.SaveStateDict("xor.safetensors", net.StateDict());
            Assert.That(net.Forward(x).ToArray(), Is.EqualTo(new[] { 0f, 1, 1, 0 }).Within(0.1f));
        });
        var loaded = Safetensors.LoadStateDict(Path.Combine(Folder, "xor.safetensors"));
        Assert.That(loaded.Keys, Is.EquivalentTo(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }));
        Assert.That(loaded["0.weight"].Shape.ToArray(), Is.EqualTo(new[] { 8, 2 }));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void CartPoleExampleBalancesThePole()
    {
        var output = RunInFolder(() =>
        {
            var env = new CartPoleEnv();
            Span<float> observation = stackalloc float[env.ObservationSize];
            env.Reset(observation, seed: 42);
            float episodeReturn = 0; StepResult result;
            do { result = env.Step(observation[2] + observation[3] > 0 ? 1 : 0, observation); episodeReturn += result.Reward; } while (!result.Done);
            Console.WriteLine($"return {episodeReturn} after {env.ElapsedSteps} steps");
            // CartPole-v1 pays 1 per step, so the return counts the steps; the episode ends only at the 500-step limit
            // when the pole stayed up
            Assert.That(episodeReturn, Is.EqualTo(env.ElapsedSteps));
            Assert.That(result.Truncated, Is.EqualTo(env.ElapsedSteps == 500));
        });
        Assert.That(output, Does.Match(@"^return \d+ after \d+ steps\n$"));
    }

    [Test]
    public void TrainingExampleEvaluatesAHandWrittenPolicy()
    {
        var output = RunInFolder(() =>
        {
            var evaluator = new Evaluator(new CartPoleEnv(), seedBase: 1000);
            EvaluationResult result = evaluator.Evaluate(new LeanPolicy(), episodes: 10);
            Console.WriteLine($"mean return {result.Mean:F1} ± {result.Std:F1} over {result.Episodes} episodes");
            Assert.That(result.Returns, Has.Count.EqualTo(10));
            Assert.That(result.Mean, Is.EqualTo(result.Lengths.Average()).Within(1e-9));
        });
        Assert.That(output, Does.Match(@"^mean return \d+\.\d ± \d+\.\d over 10 episodes\n$"));
    }

    sealed class LeanPolicy : IPolicy { public int Act(ReadOnlySpan<float> o) => o[2] + o[3] > 0 ? 1 : 0; }

    [Test]
    public void DqnExampleTrainsAndSavesTheNetwork()
    {
        var output = RunInFolder(() =>
        {
            var config = Presets.Fast with { TotalTimesteps = 5_000, Seed = 1 };
            var trainer = DqnTrainers.Instance.Create(config, () => new CartPoleEnv());
            var outcome = trainer.Train();
            Console.WriteLine($"{outcome.Steps} steps, final mean return {outcome.FinalEvaluation?.Mean:F1}");
            trainer.SaveModel("model.safetensors", best: true, new Dictionary<string, string>());
            Assert.That(outcome.Finished, Is.True);
        });
        Assert.That(output, Does.Match(@"^\d+ steps, final mean return \d+\.\d\n$"));
        var stateDict = Safetensors.LoadStateDict(Path.Combine(Folder, "model.safetensors"));
        Assert.That(stateDict.Keys, Does.Contain("0.weight"));
    }

    [Test]
    public void PolicyGradientExampleTrainsAndSavesTheAgent()
    {
        var output = RunInFolder(() =>
        {
            var config = Presets.PpoFast with { TotalTimesteps = 4_096, Seed = 1 };
            var trainer = PolicyGradientTrainers.Instance.Create(config, () => new CartPoleEnv());
            var outcome = trainer.Train();
            Console.WriteLine($"{outcome.Steps} steps, final mean return {outcome.FinalEvaluation?.Mean:F1}");
            trainer.SaveModel("agent.safetensors", best: true, new Dictionary<string, string>());
            Assert.That(outcome.Finished, Is.True);
            Assert.That(outcome.Steps, Is.EqualTo(4_096));
        });
        Assert.That(output, Does.Match(@"^4096 steps, final mean return \d+\.\d\n$"));
        var stateDict = Safetensors.LoadStateDict(Path.Combine(Folder, "agent.safetensors"));
        Assert.That(stateDict.Keys, Does.Contain("actor.0.weight").And.Contain("critic.0.weight"));
    }

    /// <summary>Runs <paramref name="example"/> with the test's folder as current directory; returns what it printed.</summary>
    private string RunInFolder(Action example)
    {
        Directory.CreateDirectory(Folder);
        var (oldOut, oldDirectory) = (Console.Out, Environment.CurrentDirectory);
        var writer = new StringWriter { NewLine = "\n" };
        try
        {
            Console.SetOut(writer);
            Environment.CurrentDirectory = Folder;
            example();
        }
        finally
        {
            Console.SetOut(oldOut);
            Environment.CurrentDirectory = oldDirectory;
        }
        return writer.ToString();
    }
}
