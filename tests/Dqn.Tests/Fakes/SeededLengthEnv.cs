using CartPole;

namespace Dqn.Tests.Fakes;

/// <summary>
/// An environment whose episode length depends only on the reset seed: length = 1 + seed mod <c>modulus</c>, reward 2
/// per step, observation [seed, t]. Evaluation results on it can be worked out by hand. Resets without a seed fail,
/// because evaluation must always seed.
/// </summary>
public sealed class SeededLengthEnv(ulong modulus) : IEnvironment
{
    private int _length;
    private int _t;
    private float _seed;

    public int ObservationSize => 2;

    public int ActionCount => 2;

    public List<ulong> Seeds { get; } = [];

    public List<int> Actions { get; } = [];

    public void Reset(Span<float> observation, ulong? seed = null)
    {
        ulong s = seed ?? throw new InvalidOperationException("Evaluation must reset with a seed.");
        Seeds.Add(s);
        _length = 1 + (int)(s % modulus);
        _t = 0;
        _seed = s;
        observation[0] = _seed;
        observation[1] = 0;
    }

    public StepResult Step(int action, Span<float> observation)
    {
        Actions.Add(action);
        _t++;
        observation[0] = _seed;
        observation[1] = _t;
        return new StepResult(2f, Terminated: _t == _length, Truncated: false);
    }
}
