using TinyTorch;
using Training.Evaluation;
using Training.Reporting;

namespace Training.Runs;

/// <summary>
/// Decides, from the periodic evaluations, which weights a run keeps (model.safetensors) and when it is solved. It
/// holds two parameter lists of the same layout: the live ones training changes, and the best ones it copies them to.
/// <list type="number">
/// <item>A periodic evaluation (eval_episodes greedy episodes) better than every earlier one makes the live weights
/// the best ones (the earliest wins ties).</item>
/// <item>One that reaches solve_threshold is only a candidate: 20 episodes can reach 475 by luck. The trainer then
/// evaluates the same weights on final_eval_episodes episodes (the confirmation), which must clear the threshold with
/// 95 % confidence, not only on average: mean − 1.645·σ/√n ≥ threshold (<see cref="Passes"/>). A policy whose
/// 100-episode mean is 475.2 ± 45 is as likely below 475 on new episodes as above; measured on the fast preset, two
/// such runs scored 462 and 468 on held-out episodes. If it passes, the run is solved at this step
/// (<see cref="SolvedAtStep"/>) and these weights stay the model for good.</item>
/// </list>
/// All of it is evaluated on the eval_seed episodes, so it is the stopping rule, not the claim: the claim is the
/// held-out evaluation, on seeds none of this saw.
/// </summary>
public sealed class SolveTracker
{
    private readonly IReadOnlyList<Tensor> _live, _best;

    /// <param name="live">The parameters training changes.</param>
    /// <param name="best">Where the best weights are kept (same count and shapes as <paramref name="live"/>).</param>
    /// <param name="solveThreshold">The mean return that counts as solved.</param>
    public SolveTracker(IReadOnlyList<Tensor> live, IReadOnlyList<Tensor> best, double solveThreshold)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(best);
        if (live.Count != best.Count)
            throw new ArgumentException($"The live weights have {live.Count} tensors but the best weights {best.Count}.", nameof(best));
        for (int i = 0; i < live.Count; i++)
        {
            if (live[i].Count != best[i].Count)
                throw new ArgumentException($"Tensor {i} has {live[i].Count} values live but {best[i].Count} kept.", nameof(best));
        }
        (_live, _best, SolveThreshold) = (live, best, solveThreshold);
        KeepLive();
    }

    /// <summary>The mean return that counts as solved.</summary>
    public double SolveThreshold { get; }

    /// <summary>z of a one-sided 95 % confidence bound on a mean: P(Z &gt; 1.645) = 0.05 for a standard normal Z.</summary>
    public const double ConfidenceZ = 1.645;

    /// <summary>
    /// Whether a confirmation clears the threshold with 95 % confidence: mean − z·σ/√n ≥ threshold, σ the episodes'
    /// standard deviation, n their number, z = <see cref="ConfidenceZ"/>. All episodes at 500 pass (σ = 0).
    /// </summary>
    public bool Passes(EvaluationResult confirmation)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        return confirmation.Mean - ConfidenceZ * confirmation.Std / Math.Sqrt(confirmation.Episodes) >= SolveThreshold;
    }

    /// <summary>The evaluation whose weights are kept; null before the first.</summary>
    public EvaluationRecord? Best { get; private set; }

    /// <summary>The latest periodic evaluation.</summary>
    public EvaluationRecord? Last { get; private set; }

    /// <summary>The step whose weights passed the confirmation; null while none has.</summary>
    public long? SolvedAtStep { get; private set; }

    /// <summary>Training wall time at that evaluation.</summary>
    public double? SolvedAtSeconds { get; private set; }

    /// <summary>The confirmation that solved the run (final_eval_episodes episodes of the kept weights); null while unsolved.</summary>
    public EvaluationResult? Confirmation { get; private set; }

    /// <summary>True once a confirmation passed.</summary>
    public bool Solved => SolvedAtStep is not null;

    /// <summary>
    /// Takes a periodic evaluation of the live weights; keeps them when they beat the best so far (never after the run
    /// is solved: then the confirmed weights stay). Returns whether they were kept and whether they are a candidate to
    /// confirm.
    /// </summary>
    public (bool NewBest, bool NeedsConfirmation) Observe(EvaluationRecord evaluation)
    {
        Last = evaluation;
        if (Solved)
            return (false, false);
        bool newBest = Best is null || evaluation.Mean > Best.Value.Mean;
        if (newBest)
        {
            KeepLive();
            Best = evaluation;
        }
        return (newBest, evaluation.Mean >= SolveThreshold);
    }

    /// <summary>
    /// The confirmation of the candidate <see cref="Last"/>: when it <see cref="Passes"/>, the run is solved at that
    /// step and the live weights are kept for good. Returns whether it passed.
    /// </summary>
    public bool Confirm(EvaluationResult confirmation)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        if (Last is not { } candidate)
            throw new InvalidOperationException("There is no evaluation to confirm.");
        if (Solved || !Passes(confirmation))
            return false;
        KeepLive();
        Best = candidate;
        (SolvedAtStep, SolvedAtSeconds, Confirmation) = (candidate.Step, candidate.TimeSeconds, confirmation);
        return true;
    }

    /// <summary>Before any evaluation the kept weights follow the live ones (a run stopped early saves what it has).</summary>
    public void KeepLiveIfNoneEvaluated()
    {
        if (Best is null)
            KeepLive();
    }

    /// <summary>What a checkpoint saves (the kept weights themselves are saved with the networks).</summary>
    public SolveTrackerState GetState() => new(Best, Last, SolvedAtStep, SolvedAtSeconds, Confirmation is { } c ? [.. c.Returns] : null, Confirmation is { } d ? [.. d.Lengths] : null);

    /// <summary>Restores <see cref="GetState"/>'s values.</summary>
    public void SetState(SolveTrackerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        (Best, Last, SolvedAtStep, SolvedAtSeconds) = (state.Best, state.Last, state.SolvedAtStep, state.SolvedAtSeconds);
        Confirmation = state.ConfirmationReturns is { } returns && state.ConfirmationLengths is { } lengths
            ? new EvaluationResult(returns, lengths)
            : null;
    }

    private void KeepLive()
    {
        for (int i = 0; i < _live.Count; i++)
            _live[i].Data.CopyTo(_best[i].Data);
    }
}

/// <summary>The values of a <see cref="SolveTracker"/> a checkpoint holds (JSON).</summary>
public sealed record SolveTrackerState(
    EvaluationRecord? Best,
    EvaluationRecord? Last,
    long? SolvedAtStep,
    double? SolvedAtSeconds,
    double[]? ConfirmationReturns,
    int[]? ConfirmationLengths);
