using Training.Config;

namespace Training.Tests.Config;

public class ValueRangeTests
{
    [TestCase(0.0, true)]
    [TestCase(1.0, true)]
    [TestCase(0.99, true)]
    [TestCase(-1e-300, false)]
    [TestCase(1.0000000000000002, false)]
    [TestCase(double.NaN, false)]
    public void TheDiscountIsInTheUnitInterval(double gamma, bool valid)
    {
        Assert.That(ValueRange.Discount.Contains(gamma), Is.EqualTo(valid));
        if (valid)
            Assert.That(ValueRange.Discount.Require(gamma, "gamma"), Is.EqualTo(gamma));
        else
            Assert.That(() => ValueRange.Discount.Require(gamma, "gamma"),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.StartsWith("gamma must be in [0, 1], got "));
    }

    [Test]
    public void TheLearningRateIsFiniteAndPositive()
    {
        Assert.That(ValueRange.LearningRate.Problem("--lr", 0), Is.EqualTo("--lr must be a finite number > 0, got 0."));
        Assert.That(ValueRange.LearningRate.Problem("lr", double.PositiveInfinity), Is.EqualTo("lr must be a finite number > 0, got Infinity."));
        Assert.That(ValueRange.LearningRate.Problem("lr", 1e-4), Is.Null);
    }

    [Test]
    public void AnActionIsAWholeIndexBelowTheCount()
    {
        var actions = ValueRange.Actions(2);
        Assert.That(new[] { -1, 0, 0.5, 1, 2 }.Select(actions.Contains), Is.EqualTo(new[] { false, true, false, true, false }));
        Assert.That(actions.Problem("actions[3]", 2), Is.EqualTo("actions[3] must be an action in 0..1, got 2."));
        Assert.That(() => ValueRange.Actions(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void AtLeastCountsFromItsMinimum()
    {
        Assert.That(ValueRange.AtLeast(1).Problem("n_step", 0), Is.EqualTo("n_step must be ≥ 1, got 0."));
        Assert.That(ValueRange.AtLeast(0).Contains(0), Is.True);
    }
}
