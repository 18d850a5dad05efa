using Training.Policies;
using Training.Runs;

namespace Dqn.Tabular;

/// <summary>
/// Action values Q(s, a) for a finite set of states, stored row-major [states × actions], and the textbook
/// Q-learning update (Watkins 1989; Sutton &amp; Barto eq. 6.8).
/// </summary>
public sealed class QTable
{
    private readonly float[] _values;

    /// <summary>A table with every Q(s, a) set to <paramref name="initialValue"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="stateCount"/> or <paramref name="actionCount"/> is below 1.</exception>
    public QTable(int stateCount, int actionCount, float initialValue = 0f)
    {
        if (stateCount < 1)
            throw new ArgumentOutOfRangeException(nameof(stateCount), stateCount, "A Q-table needs at least one state.");
        if (actionCount < 1)
            throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "A Q-table needs at least one action.");
        StateCount = stateCount;
        ActionCount = actionCount;
        _values = new float[checked(stateCount * actionCount)];
        Array.Fill(_values, initialValue);
    }

    /// <summary>|S|, the rows.</summary>
    public int StateCount { get; }

    /// <summary>|A|, the columns.</summary>
    public int ActionCount { get; }

    /// <summary>All values, row s at [s·ActionCount, (s+1)·ActionCount), e.g. to save the table.</summary>
    public Span<float> Values => _values;

    /// <summary>The storage behind <see cref="Values"/>, for a tensor view of the table.</summary>
    internal float[] ValuesArray => _values;

    /// <summary>Q(<paramref name="state"/>, <paramref name="action"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When either index is out of range.</exception>
    public float this[int state, int action]
    {
        get => Row(state)[CheckAction(action)];
        set => Row(state)[CheckAction(action)] = value;
    }

    /// <summary>Q(s, ·).</summary>
    public Span<float> Row(int state)
    {
        if ((uint)state >= (uint)StateCount)
            throw new ArgumentOutOfRangeException(nameof(state), state, $"State must be in [0, {StateCount}).");
        return _values.AsSpan(state * ActionCount, ActionCount);
    }

    /// <summary>argmax_a Q(s, a), the lowest action on ties.</summary>
    public int Greedy(int state) => EpsilonGreedy.Argmax(Row(state));

    /// <summary>
    /// Q(s,a) ← Q(s,a) + α[r + γ·(1 − terminated)·max_a′ Q(s′,a′) − Q(s,a)]. A truncated episode still bootstraps from
    /// s′ (only termination means the future is worth 0). Returns the TD error δ before the update.
    /// </summary>
    public float Update(int state, int action, float reward, int nextState, bool terminated, double alpha, double gamma)
    {
        double bootstrap = terminated ? 0.0 : gamma * Row(nextState)[Greedy(nextState)];
        ref float q = ref Row(state)[CheckAction(action)];
        double tdError = reward + bootstrap - q;
        q = (float)(q + alpha * tdError);
        return (float)tdError;
    }

    private int CheckAction(int action)
    {
        if ((uint)action >= (uint)ActionCount)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"Action must be in [0, {ActionCount}).");
        return action;
    }
}
