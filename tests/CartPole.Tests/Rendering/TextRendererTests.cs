using CartPole.Rendering;

namespace CartPole.Tests.Rendering;

public class TextRendererTests
{
    private static string[] Lines(CartPoleState s, bool color = false) => TextRenderer.Render(s, 7, color).Split('\n');

    /// <summary>The column of the cart's pivot '●' and, per pole row, the column of the pole glyph.</summary>
    private static (int Pivot, int[] PoleColumns) Geometry(string[] lines)
    {
        int cartRow = Array.FindIndex(lines, l => l.Contains('●'));
        int pivot = lines[cartRow].IndexOf('●');
        var columns = lines.Take(cartRow).Select(l => l.IndexOfAny(['│', '╱', '╲', '─'])).ToArray();
        return (pivot, columns);
    }

    [Test]
    public void FrameHasItsHeightAndWidthAndNoTrailingSpaces()
    {
        var lines = Lines(new CartPoleState(0, 0, 0, 0));
        Assert.That(lines, Has.Length.EqualTo(TextRenderer.Height));
        Assert.That(lines.Take(lines.Length - 1).Max(l => l.Length), Is.EqualTo(TextRenderer.DefaultWidth), "the track spans the width");
        Assert.That(lines.All(l => !l.EndsWith(' ')), Is.True);
    }

    [Test]
    public void UprightPoleStandsAboveTheCentredPivot()
    {
        var (pivot, columns) = Geometry(Lines(new CartPoleState(0, 0, 0, 0)));
        Assert.That(pivot, Is.EqualTo(TextRenderer.DefaultWidth / 2), "x = 0 is the middle of the track");
        Assert.That(columns, Is.All.EqualTo(pivot));
    }

    [TestCase(0.2, 1)]
    [TestCase(-0.2, -1)]
    public void LeaningPoleTopIsOnTheSideOfTheAngle(double theta, int side)
    {
        var (pivot, columns) = Geometry(Lines(new CartPoleState(0, 0, theta, 0)));
        Assert.That(Math.Sign(columns[0] - pivot), Is.EqualTo(side), "the top row is displaced towards the lean");
        // 1 m pole, 12.5 columns per metre: the tip is 12.5·sin θ ≈ 2.5 columns to the side at 0.2 rad.
        Assert.That(Math.Abs(columns[0] - pivot), Is.InRange(2, 3));
    }

    [Test]
    public void CartMovesWithX()
    {
        var (left, _) = Geometry(Lines(new CartPoleState(-1.2, 0, 0, 0)));
        var (right, _) = Geometry(Lines(new CartPoleState(1.2, 0, 0, 0)));
        // (x + 2.4)·(width − 1)/4.8 columns: 1.2·12.5 = 15 and 3.6·12.5 = 45.
        Assert.That((left, right), Is.EqualTo((15, 45)));
    }

    [Test]
    public void StatusLineShowsTheStateInDegreesAndFlagsTheLimits()
    {
        var inside = Lines(new CartPoleState(0.5, -1, 0.1, 2))[^1];
        Assert.That(inside, Is.EqualTo("step   7  x  +0.500  ẋ  -1.000  θ   +5.73°  θ̇  +2.000"));
        var beyond = Lines(new CartPoleState(0, 0, 0.21, 0))[^1];
        Assert.That(beyond, Does.EndWith("(beyond the limits)"));
    }

    [Test]
    public void ColourIsAnsiAndOnlyWhenAsked()
    {
        string plain = TextRenderer.Render(new CartPoleState(0, 0, 0, 0));
        string colored = TextRenderer.Render(new CartPoleState(0, 0, 0, 0), color: true);
        Assert.That(plain, Does.Not.Contain("\u001b["));
        Assert.That(colored, Does.Contain("\u001b[38;5;173m│"));
        Assert.That(System.Text.RegularExpressions.Regex.Replace(colored, "\u001b\\[[0-9;]*m", ""), Is.EqualTo(plain));
    }
}
