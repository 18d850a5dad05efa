using CartPole.Rendering;

namespace CartPole.Tests.Rendering;

public class SignedNumberTests
{
    [TestCase(0.0, 4, "+0.0000")]
    [TestCase(-0.0, 4, "+0.0000")]
    [TestCase(-0.00001, 4, "+0.0000")]
    [TestCase(-0.0000499, 4, "+0.0000")]
    [TestCase(0.00001, 4, "+0.0000")]
    [TestCase(-0.00006, 4, "-0.0001")]
    [TestCase(0.04199, 4, "+0.0420")]
    [TestCase(-1.5, 3, "-1.500")]
    [TestCase(-2.6, 0, "-3")]
    [TestCase(-0.4, 0, "+0")]
    [TestCase(12345.678, 2, "+12345.68")]
    public void SignFollowsTheRoundedValue(double value, int decimals, string expected) =>
        Assert.That(SignedNumber.Format(value, decimals), Is.EqualTo(expected));

    [Test]
    public void NonFiniteValuesAndBadDecimalsAreHandled()
    {
        Assert.That(SignedNumber.Format(double.NaN, 4), Is.EqualTo("NaN"));
        Assert.That(SignedNumber.Format(double.NegativeInfinity, 4), Is.EqualTo("-Infinity"));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedNumber.Format(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedNumber.Format(1, 16));
    }

    [Test]
    public void StatusLineNeverShowsAMinusBeforeAPlus()
    {
        // issue 8 §7: values that round to zero printed as "-+0.000" in the frames of `play` and `--animate`.
        string status = TextRenderer.Render(new CartPoleState(-0.0001, -0.0, -0.00001, -0.0004)).Split('\n')[^1];
        Assert.That(status, Is.EqualTo("x  +0.000  ẋ  +0.000  θ   +0.00°  θ̇  +0.000"));
    }
}
