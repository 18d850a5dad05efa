namespace PolicyGradient.Rollout;

/// <summary>
/// One rollout of T steps × N environments (CleanRL ppo.py's <c>obs</c>, <c>actions</c>, <c>logprobs</c>,
/// <c>rewards</c>, <c>dones</c>, <c>values</c> tensors), row-major [T, N] so that flattening gives CleanRL's
/// <c>b_*</c> batch of T·N rows (row t·N + i is step t of env i). Allocated once and refilled every iteration.
/// Besides CleanRL's fields it keeps <see cref="Terminated"/> and <see cref="Truncated"/> apart and, for truncated
/// steps, the critic's value of the true final observation (<see cref="FinalValues"/>), so that <see cref="Gae"/> can
/// bootstrap at time limits.
/// </summary>
public sealed class RolloutBuffer
{
    /// <exception cref="ArgumentOutOfRangeException">When a size is below 1.</exception>
    public RolloutBuffer(int numSteps, int numEnvs, int observationSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numEnvs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(observationSize, 1);
        NumSteps = numSteps;
        NumEnvs = numEnvs;
        ObservationSize = observationSize;
        int size = numSteps * numEnvs;
        Observations = new float[size * observationSize];
        Actions = new int[size];
        LogProbs = new float[size];
        Rewards = new float[size];
        Values = new float[size];
        Terminated = new bool[size];
        Truncated = new bool[size];
        FinalValues = new float[size];
        Advantages = new float[size];
        Returns = new float[size];
        NextValues = new float[numEnvs];
    }

    /// <summary>T, the steps per environment.</summary>
    public int NumSteps { get; }

    /// <summary>N, the environments stepped together.</summary>
    public int NumEnvs { get; }

    /// <summary>D, the length of an observation.</summary>
    public int ObservationSize { get; }

    /// <summary>T·N, the rows of the flattened batch.</summary>
    public int Size => NumSteps * NumEnvs;

    /// <summary>sₜ [T, N, D]: the observation each action was chosen from.</summary>
    public float[] Observations { get; }

    /// <summary>aₜ [T, N].</summary>
    public int[] Actions { get; }

    /// <summary>log π_old(aₜ|sₜ) [T, N] of the policy that acted.</summary>
    public float[] LogProbs { get; }

    /// <summary>rₜ [T, N].</summary>
    public float[] Rewards { get; }

    /// <summary>V(sₜ) [T, N] at acting time.</summary>
    public float[] Values { get; }

    /// <summary>[T, N]: the episode ended at step t by a terminal state.</summary>
    public bool[] Terminated { get; }

    /// <summary>[T, N]: the episode ended at step t by the time limit.</summary>
    public bool[] Truncated { get; }

    /// <summary>[T, N]: V of the episode's true final observation where <see cref="Truncated"/> is set (else unused).</summary>
    public float[] FinalValues { get; }

    /// <summary>V(s_T) [N]: the value of the observation after the last step, the bootstrap of unfinished episodes.</summary>
    public float[] NextValues { get; }

    /// <summary>Â [T, N], written by <see cref="ComputeAdvantages"/>.</summary>
    public float[] Advantages { get; }

    /// <summary>R = Â + V [T, N], written by <see cref="ComputeAdvantages"/>.</summary>
    public float[] Returns { get; }

    /// <summary>Fills <see cref="Advantages"/> and <see cref="Returns"/> by <see cref="Gae.Compute"/>.</summary>
    public void ComputeAdvantages(float gamma, float lambda, bool bootstrapTruncation) =>
        Gae.Compute(Rewards, Values, Terminated, Truncated, FinalValues, NextValues, gamma, lambda, bootstrapTruncation, Advantages, Returns);
}
