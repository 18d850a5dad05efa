namespace Dqn.Training;

/// <summary>
/// The training episode under way: its reset seed and actions (enough to replay it after a resume), its return so far,
/// and the losses of the gradient steps taken during it (for the episode's row in metrics.csv).
/// </summary>
internal sealed class EpisodeInProgress
{
    private readonly List<int> _actions = [];

    /// <summary>True between a reset and the step that ends the episode.</summary>
    public bool Running { get; private set; }

    /// <summary>The seed of the episode's reset.</summary>
    public ulong Seed { get; private set; }

    /// <summary>The actions taken so far.</summary>
    public IReadOnlyList<int> Actions => _actions;

    /// <summary>Σ r so far.</summary>
    public double Return { get; private set; }

    /// <summary>Σ loss of the gradient steps during the episode.</summary>
    public double LossSum { get; private set; }

    /// <summary>Gradient steps during the episode.</summary>
    public int Updates { get; private set; }

    /// <summary>Mean loss of the episode's gradient steps; NaN when there were none.</summary>
    public double MeanLoss => Updates > 0 ? LossSum / Updates : double.NaN;

    /// <summary>A new episode from a reset with <paramref name="seed"/>.</summary>
    public void Begin(ulong seed)
    {
        (Running, Seed, Return, LossSum, Updates) = (true, seed, 0, 0, 0);
        _actions.Clear();
    }

    /// <summary>One step: action a, reward r.</summary>
    public void Record(int action, double reward)
    {
        _actions.Add(action);
        Return += reward;
    }

    /// <summary>One gradient step's loss.</summary>
    public void AddLoss(double loss)
    {
        LossSum += loss;
        Updates++;
    }

    /// <summary>The episode ended.</summary>
    public void End() => Running = false;

    /// <summary>Sets every value, as a checkpoint saved them.</summary>
    public void Restore(bool running, ulong seed, IEnumerable<int> actions, double episodeReturn, double lossSum, int updates)
    {
        (Running, Seed, Return, LossSum, Updates) = (running, seed, episodeReturn, lossSum, updates);
        _actions.Clear();
        _actions.AddRange(actions);
    }
}
