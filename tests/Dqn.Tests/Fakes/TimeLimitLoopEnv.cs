using CartPole;

namespace Dqn.Tests.Fakes;

/// <summary>
/// One state that loops onto itself with reward 1, cut by a time limit after every <c>limit</c> steps and never
/// terminated. The true value is Q(s, a) = Σₖ γᵏ = 1/(1 − γ): a learner that bootstraps through truncation finds it,
/// one that treats truncation as termination finds a value of about 1 (with limit 1, exactly 1).
/// </summary>
public sealed class TimeLimitLoopEnv(int limit) : IEnvironment
{
    private int _steps;

    public int ObservationSize => 1;

    public int ActionCount => 2;

    public void Reset(Span<float> observation, ulong? seed = null)
    {
        _steps = 0;
        observation[0] = 0;
    }

    public StepResult Step(int action, Span<float> observation)
    {
        _steps++;
        observation[0] = 0;
        return new StepResult(1f, Terminated: false, Truncated: _steps >= limit);
    }
}
