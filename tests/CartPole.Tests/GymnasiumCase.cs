using System.Text.Json;

namespace CartPole.Tests;

/// <summary>One line of <c>data/reference/cartpole_gymnasium.jsonl</c>: an episode played by Gymnasium itself.</summary>
public sealed record GymnasiumCase(string Name, double[] State, int[] Actions, GymnasiumStep[] Steps)
{
    public static readonly string FilePath =
        Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "reference", "cartpole_gymnasium.jsonl");

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public CartPoleState StartState => new(State[0], State[1], State[2], State[3]);

    public static GymnasiumCase[] LoadAll() =>
        File.ReadLines(FilePath)
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<GymnasiumCase>(line, Json)!)
            .ToArray();

    /// <summary>The reference's tolerance: |actual − expected| ≤ 1e-6 + 1e-6·|expected|.</summary>
    public static bool Close(double actual, double expected) =>
        Math.Abs(actual - expected) <= 1e-6 + 1e-6 * Math.Abs(expected);

    public override string ToString() => Name;
}

public sealed record GymnasiumStep(double[] Obs, double Reward, bool Terminated, bool Truncated);
