using CartPole.Seeding;

namespace CartPole.Tests;

/// <summary>The vector environment's sin/cos shortcut against Math.Sin and Math.Cos themselves.</summary>
public class ExactSinCosTests
{
    [Test]
    public void OnThisPlatformSinCosSharesTheCodeOfSinAndCos()
    {
        // glibc and musl by their source; if this fails here, the vector env is still exact (it falls back to
        // Math.Sin/Math.Cos) but slower, and docs/CARTPOLE.md needs the platform's story.
        Assert.That(ExactSinCos.SinCosIsExact, Is.True);
    }

    [Test]
    public void EqualsMathSinAndMathCosBitForBitInsideAndOutsideTheBound()
    {
        var rng = NumPyGenerator.FromSeed(11);
        for (int k = 0; k < 300_000; k++)
        {
            double theta = k % 3 switch
            {
                0 => rng.Uniform(-0.25, 0.25),            // where CartPole lives
                1 => rng.Uniform(-3.2, 3.2),              // both sides of the bound and glibc's 0.855 / 2.43 branches
                _ => rng.Uniform(-1e6, 1e6),              // argument reduction
            };
            ExactSinCos.Compute(theta, out double s, out double c);
            if (BitConverter.DoubleToInt64Bits(s) != BitConverter.DoubleToInt64Bits(Math.Sin(theta))
                || BitConverter.DoubleToInt64Bits(c) != BitConverter.DoubleToInt64Bits(Math.Cos(theta)))
                Assert.Fail($"θ = {theta:R}: ({s:R}, {c:R}) but Math.Sin/Math.Cos give ({Math.Sin(theta):R}, {Math.Cos(theta):R})");
        }
    }
}
