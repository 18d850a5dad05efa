using CartPole;

namespace Dqn.Tests.Fakes;

/// <summary>
/// An environment whose episodes last <c>longLength</c> steps (reward 1 each) when reset with a seed in
/// [<c>longFrom</c>, <c>longFrom</c> + <c>longCount</c>) and 1 step otherwise, whatever the actions: with eval_seed =
/// longFrom and longCount = eval_episodes, every periodic evaluation scores <c>longLength</c> while a longer
/// confirmation over final_eval_episodes scores less — the scenario of a lucky 20-episode evaluation, built by
/// construction rather than found on one CPU's trajectory.
/// </summary>
public sealed class EvaluationSplitEnv(ulong longFrom, int longCount, int longLength) : IEnvironment
{
    private int _length, _t;

    public int ObservationSize => 2;

    public int ActionCount => 2;

    public void Reset(Span<float> observation, ulong? seed = null)
    {
        ulong s = seed ?? 0;
        _length = s >= longFrom && s - longFrom < (ulong)longCount ? longLength : 1;
        _t = 0;
        observation[0] = 0;
        observation[1] = 0;
    }

    public StepResult Step(int action, Span<float> observation)
    {
        _t++;
        observation[0] = _t;
        observation[1] = action;
        return new StepResult(1f, Terminated: _t == _length, Truncated: false);
    }
}
