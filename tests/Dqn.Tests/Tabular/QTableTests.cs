using Dqn.Tabular;

namespace Dqn.Tests.Tabular;

public class QTableTests
{
    private static QTable TableWith(float q, float nextBest)
    {
        var table = new QTable(stateCount: 2, actionCount: 2);
        table[0, 1] = q;
        table[1, 0] = nextBest;
        table[1, 1] = nextBest - 3; // max_a′ Q(s′, a′) is nextBest
        return table;
    }

    [Test]
    public void UpdateBootstrapsFromTheBestNextAction()
    {
        // Q = 2, r = 1, γ = 0.9, max Q(s′) = 5, α = 0.5: target 1 + 4.5 = 5.5, δ = 3.5, Q ← 2 + 1.75 = 3.75.
        var table = TableWith(2f, 5f);
        float delta = table.Update(0, 1, 1f, 1, terminated: false, alpha: 0.5, gamma: 0.9);
        Assert.That(delta, Is.EqualTo(3.5f).Within(1e-6));
        Assert.That(table[0, 1], Is.EqualTo(3.75f).Within(1e-6));
        Assert.That(table[0, 0], Is.Zero, "other actions are untouched");
    }

    [Test]
    public void TerminationDropsTheBootstrap()
    {
        // Terminal: target = r = 1, δ = −1, Q ← 2 − 0.5 = 1.5.
        var table = TableWith(2f, 5f);
        float delta = table.Update(0, 1, 1f, 1, terminated: true, alpha: 0.5, gamma: 0.9);
        Assert.That(delta, Is.EqualTo(-1f).Within(1e-6));
        Assert.That(table[0, 1], Is.EqualTo(1.5f).Within(1e-6));
    }

    [Test]
    public void GreedyTakesTheFirstBestAction()
    {
        var table = new QTable(1, 3);
        Assert.That(table.Greedy(0), Is.Zero);
        table[0, 2] = 1;
        Assert.That(table.Greedy(0), Is.EqualTo(2));
        table[0, 1] = 1;
        Assert.That(table.Greedy(0), Is.EqualTo(1));
    }

    [Test]
    public void OutOfRangeStatesAndActionsAreNamed()
    {
        var table = new QTable(2, 2);
        Assert.That(() => table.Row(2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 2)"));
        Assert.That(() => table.Update(0, 5, 0, 0, false, 0.1, 0.9), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Action"));
    }
}
