using TinyTorch;
using Training.Evaluation;
using Training.Reporting;
using Training.Runs;

namespace Training.Tests.Runs;

public class SolveTrackerTests
{
    private Tensor _live = null!, _best = null!;

    [SetUp]
    public void NewWeights() => (_live, _best) = (new Tensor([1f, 2f], 2), new Tensor([0f, 0f], 2));

    private SolveTracker NewTracker() => new([_live], [_best], solveThreshold: 475);

    private static EvaluationRecord Periodic(long step, double mean) => new(step, 0, mean, 0, mean, mean, 20, false, step / 1000.0);

    private static EvaluationResult Episodes(params double[] returns) => new(returns, [.. returns.Select(r => (int)r)]);

    [Test]
    public void TheLiveWeightsAreKeptAtStartAndAtEachBetterEvaluation()
    {
        var tracker = NewTracker();
        Assert.That(_best.Data.ToArray(), Is.EqualTo(new[] { 1f, 2f }));
        _live.Data[0] = 5;
        Assert.That(tracker.Observe(Periodic(1000, 100)), Is.EqualTo((true, false)));
        Assert.That(_best.Data[0], Is.EqualTo(5));
        _live.Data[0] = 6;
        Assert.That(tracker.Observe(Periodic(2000, 100)), Is.EqualTo((false, false)), "ties keep the earlier weights");
        Assert.That(_best.Data[0], Is.EqualTo(5));
        Assert.That(tracker.Best!.Value.Step, Is.EqualTo(1000));
        Assert.That(tracker.Last!.Value.Step, Is.EqualTo(2000));
    }

    [Test]
    public void AnEvaluationAtTheThresholdIsOnlyACandidateUntilConfirmed()
    {
        var tracker = NewTracker();
        Assert.That(tracker.Observe(Periodic(1000, 480)), Is.EqualTo((true, true)));
        Assert.That(tracker.Confirm(Episodes(500, 400)), Is.False, "mean 450 < 475");
        Assert.That(tracker.Solved, Is.False);
        Assert.That(tracker.SolvedAtStep, Is.Null);

        _live.Data[1] = 9;
        Assert.That(tracker.Observe(Periodic(2000, 476)), Is.EqualTo((false, true)), "not better than 480, but a candidate");
        Assert.That(tracker.Confirm(Episodes(500, 480)), Is.True);
        Assert.That(tracker.SolvedAtStep, Is.EqualTo(2000), "solved where the confirmed weights were evaluated");
        Assert.That(tracker.SolvedAtSeconds, Is.EqualTo(2.0));
        Assert.That(tracker.Best!.Value.Step, Is.EqualTo(2000), "the confirmed weights are kept");
        Assert.That(_best.Data[1], Is.EqualTo(9));
        Assert.That(tracker.Confirmation!.Mean, Is.EqualTo(490));
    }

    [Test]
    public void OnceSolvedLaterEvaluationsNeitherReplaceTheWeightsNorAskForConfirmation()
    {
        var tracker = NewTracker();
        tracker.Observe(Periodic(1000, 480));
        tracker.Confirm(Episodes(500, 500));
        _live.Data[0] = 42;
        Assert.That(tracker.Observe(Periodic(2000, 500)), Is.EqualTo((false, false)));
        Assert.That(_best.Data[0], Is.EqualTo(1));
        Assert.That(tracker.Confirm(Episodes(500)), Is.False);
        Assert.That(tracker.SolvedAtStep, Is.EqualTo(1000));
    }

    [Test]
    public void ItsStateRoundTrips()
    {
        var tracker = NewTracker();
        tracker.Observe(Periodic(1000, 480));
        tracker.Confirm(Episodes(500, 490));
        var copy = NewTracker();
        copy.SetState(tracker.GetState());
        Assert.That(copy.Best, Is.EqualTo(tracker.Best));
        Assert.That(copy.Last, Is.EqualTo(tracker.Last));
        Assert.That(copy.SolvedAtStep, Is.EqualTo(1000));
        Assert.That(copy.Confirmation!.Returns, Is.EqualTo(new[] { 500.0, 490.0 }));
    }

    [Test]
    public void AConfirmationMustClearTheThresholdWith95PercentConfidence()
    {
        var tracker = NewTracker();
        // 100 episodes, half at 500 and half at 452: mean 476, σ = 24, mean − 1.645·σ/√100 = 472.05 < 475
        double[] spread = [.. Enumerable.Repeat(500.0, 50), .. Enumerable.Repeat(452.0, 50)];
        Assert.That(tracker.Passes(Episodes(spread)), Is.False, "a mean above 475 is not enough when the spread says it could be luck");
        // half at 500 and half at 470: mean 485, σ = 15, bound 482.5
        double[] tight = [.. Enumerable.Repeat(500.0, 50), .. Enumerable.Repeat(470.0, 50)];
        Assert.That(tracker.Passes(Episodes(tight)), Is.True);
        Assert.That(tracker.Passes(Episodes([.. Enumerable.Repeat(475.0, 100)])), Is.True, "σ = 0: the bound is the mean");

        tracker.Observe(Periodic(1000, 490));
        Assert.That(tracker.Confirm(Episodes(spread)), Is.False);
        Assert.That(tracker.Solved, Is.False);
    }

    [Test]
    public void MismatchedWeightListsAreRejected() =>
        Assert.That(() => new SolveTracker([_live], [], 475), Throws.ArgumentException.With.Message.Contains("1 tensors"));
}
