using System.Text.Json;
using Dqn.Training;
using ScratchRl.Cli;
using TinyTorch;
using TinyTorch.Nn;
using Training.Runs;

namespace ScratchRl.Tests;

public class EvalCommandTests : TempFolderTest
{
    [Test]
    public void AHandMadeBalancingNetworkScoresFiveHundredEverywhere()
    {
        string model = TrainCliFixtures.WriteBalanceModel(Folder);
        var (code, stdout, stderr) = CliRun.Run(null, ["eval", "--model", model, "--episodes", "10", "--seed", "42", "--json"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        var json = JsonDocument.Parse(TrainCliFixtures.LastLine(stdout)).RootElement;
        Assert.That(json.GetProperty("mean_return").GetDouble(), Is.EqualTo(500));
        Assert.That(json.GetProperty("std_return").GetDouble(), Is.EqualTo(0));
        Assert.That(json.GetProperty("min_return").GetDouble(), Is.EqualTo(500));
        Assert.That(json.GetProperty("max_return").GetDouble(), Is.EqualTo(500));
        Assert.That(json.GetProperty("episodes").GetInt32(), Is.EqualTo(10));
    }

    [Test]
    public void AnAlwaysLeftNetworkFallsQuicklyAndTheTextSaysSo()
    {
        // Q(s, 0) = 1, Q(s, 1) = 0: pushing left every step drops the pole in about ten steps.
        Directory.CreateDirectory(Folder);
        string path = Path.Combine(Folder, "left.safetensors");
        var net = Sequential.Mlp(new Rng(0), [4, 2]);
        Array.Clear(((Linear)net[0]).Weight.Data);
        ((Linear)net[0]).Bias!.Data[0] = 1;
        ((Linear)net[0]).Bias!.Data[1] = 0;
        ModelFile.SaveNetwork(path, net, dueling: false);
        var (code, stdout, stderr) = CliRun.Run(null, ["eval", "--model", path, "--episodes", "5"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(stdout, Does.Contain("MLP 4-2").And.Contain("5 greedy episodes (seeds 2000000…2000004): mean "));
        double mean = double.Parse(stdout.Split("mean ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(mean, Is.InRange(7, 12));
    }

    [Test]
    public void APyTorchWrittenNetworkEvaluates()
    {
        string pytorch = Path.Combine(AppContext.BaseDirectory, "data", "reference", "qupdate", "case00", "weights.safetensors");
        var (code, stdout, stderr) = CliRun.Run(null, ["eval", "--model", pytorch, "--episodes", "3", "--json"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(JsonDocument.Parse(TrainCliFixtures.LastLine(stdout)).RootElement.GetProperty("episodes").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public void AFileThatIsNotANetworkFailsOnOneLine()
    {
        Directory.CreateDirectory(Folder);
        string path = Path.Combine(Folder, "notes.safetensors");
        File.WriteAllText(path, "hello");
        var (code, stdout, stderr) = CliRun.Run(null, ["eval", "--model", path]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, $"'{path}' is not a model file");
    }

    [Test]
    public void ANetworkOfTheWrongShapeFailsOnOneLine()
    {
        Directory.CreateDirectory(Folder);
        string path = Path.Combine(Folder, "three.safetensors");
        ModelFile.SaveNetwork(path, Sequential.Mlp(new Rng(1), 4, [8], 3), dueling: false);
        var (code, stdout, stderr) = CliRun.Run(null, ["eval", "--model", path]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Failure));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, "CartPole-v1 has 4 and 2 (a dueling network needs the metadata \"dueling\": \"true\")");
    }

    [TestCase(new[] { "--episodes", "0" }, "--episodes must be at least 1, got 0.")]
    [TestCase(new[] { "--seed", "x" }, "--seed must be a whole number ≥ 0, got 'x'.")]
    public void BadValuesAreUsageErrors(string[] flags, string message)
    {
        string model = TrainCliFixtures.WriteBalanceModel(Folder);
        var (code, stdout, stderr) = CliRun.Run(null, ["eval", "--model", model, .. flags]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, message);
    }

    [Test]
    public void AMissingModelFlagIsAUsageError()
    {
        var (code, stdout, stderr) = CliRun.Run(null, ["eval"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        TrainCliFixtures.AssertOneErrorLine(stdout, stderr, "missing --model");
    }
}
