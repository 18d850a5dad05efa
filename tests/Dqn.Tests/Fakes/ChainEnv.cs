using CartPole;

namespace Dqn.Tests.Fakes;

/// <summary>
/// A deterministic chain 0 — 1 — … — (N−1). The observation is the position as one float. Action 0 moves left (staying
/// at 0), action 1 moves right; reaching N−1 gives reward 1 and terminates. Every episode starts at 0 and is truncated
/// after <c>maxSteps</c> steps. With discount γ the optimal values are, for s ≤ N−2:
/// Q*(s, right) = γ^(N−2−s), Q*(s, left) = γ·V*(max(s−1, 0)) = γ^(N−1−max(s−1, 0)).
/// </summary>
public sealed class ChainEnv(int length, int maxSteps) : IEnvironment
{
    private int _position;
    private int _steps;

    public int ObservationSize => 1;

    public int ActionCount => 2;

    public int Resets { get; private set; }

    public void Reset(Span<float> observation, ulong? seed = null)
    {
        _position = 0;
        _steps = 0;
        Resets++;
        observation[0] = _position;
    }

    public StepResult Step(int action, Span<float> observation)
    {
        _position = action == 1 ? _position + 1 : Math.Max(_position - 1, 0);
        _steps++;
        bool terminated = _position == length - 1;
        observation[0] = _position;
        return new StepResult(terminated ? 1f : 0f, terminated, !terminated && _steps >= maxSteps);
    }

    /// <summary>Q*(s, a) by the formula above.</summary>
    public static double OptimalQ(int length, double gamma, int state, int action) => action == 1
        ? Math.Pow(gamma, length - 2 - state)
        : Math.Pow(gamma, length - 1 - Math.Max(state - 1, 0));
}
