using TinyTorch;
using TinyTorch.IO;

namespace ScratchRl.Tests;

/// <summary>Shared pieces of the train, eval, play and sweep command tests.</summary>
internal static class TrainCliFixtures
{
    /// <summary>Flags for a training run small enough for a test: 16-wide network, few steps, tiny evaluations.</summary>
    public static readonly string[] TinyRun =
    [
        "--total-steps", "1200", "--learning-starts", "100", "--hidden", "16", "--eval-frequency", "600",
        "--eval-episodes", "2", "--final-eval-episodes", "3", "--buffer-size", "1000", "--batch-size", "16",
    ];

    public static string NewFolder() => Path.Combine(Path.GetTempPath(), "scratchrl-cli-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// A hand-made Q-network saved as PyTorch would (no metadata): one Linear(4, 2) with Q(s, 0) = 0 and
    /// Q(s, 1) = 0.03x + 0.1ẋ + θ + 0.3θ̇, i.e. "push right when the pole falls right", which balances CartPole for the
    /// full 500 steps (the cartpole command's balance policy).
    /// </summary>
    public static string WriteBalanceModel(string folder)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "balance.safetensors");
        var stateDict = new Dictionary<string, Tensor>
        {
            ["0.weight"] = new([0f, 0f, 0f, 0f, 0.03f, 0.1f, 1f, 0.3f], 2, 4),
            ["0.bias"] = new([0f, 0f], 2),
        };
        Safetensors.SaveStateDict(path, stateDict);
        return path;
    }

    /// <summary>The last non-empty line of a text.</summary>
    public static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];

    /// <summary>Asserts a failed command printed exactly one error line (no stack trace) and nothing on stdout.</summary>
    public static void AssertOneErrorLine(string stdout, string stderr, string mustContain)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), stderr);
        Assert.That(lines[0], Does.StartWith("scratchrl: error: ").And.Contain(mustContain));
        Assert.That(lines[0], Does.Not.Match(@"\bat [\w.]+\(").And.Not.Contain("Exception"), "no stack trace");
        Assert.That(stdout, Is.Empty);
    }
}
