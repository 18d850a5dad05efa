namespace TinyTorch.Tests.Autograd;

/// <summary>The checker itself: it must fail on wrong gradients, say where, and leave its inputs alone.</summary>
public class GradCheckTests
{
    /// <summary>y = x² with a backward rule that returns <paramref name="factor"/>·2x: right only for factor 1.</summary>
    private static Tensor ScaledSquare(Tensor x, float factor)
    {
        var y = new Tensor(new float[x.Count], x.Shape.ToArray());
        for (int i = 0; i < x.Count; i++)
            y.Data[i] = x.Data[i] * x.Data[i];
        return Tensor.Record(y, "TestSquareBackward", dy =>
        {
            var dx = new float[x.Count];
            for (int i = 0; i < x.Count; i++)
                dx[i] = dy.Data[i] * factor * 2f * x.Data[i];
            x.AccumulateGrad(dx);
        }, x);
    }

    [Test]
    public void ACorrectCustomGradientPasses()
    {
        GradCheckResult result = GradCheck.Check(x => ScaledSquare(x[0], 1f), [TestInputs.Randn(new Rng(1), 3, 17)]);
        Assert.That(result.Passed, Is.True, result.ToString());
    }

    [TestCase(1.05f)]
    [TestCase(1.02f)]
    [TestCase(0.98f)]
    [TestCase(-1f)]
    [TestCase(0f)]
    public void AWrongGradientFails(float factor)
    {
        GradCheckResult result = GradCheck.Check(x => ScaledSquare(x[0], factor), [TestInputs.Randn(new Rng(1), 3, 17)]);
        Assert.Multiple(() =>
        {
            Assert.That(result.Passed, Is.False, result.ToString());
            // Every element is off by the same relative amount |factor − 1|, so the reported relative error
            // must be that amount, up to the finite-difference noise.
            Assert.That(result.MaxRelError, Is.EqualTo(Math.Abs(factor - 1f)).Within(0.003 + 0.01 * Math.Abs(factor - 1f)));
        });
    }

    [Test]
    public void AssertThrowsAMessageNamingTheWorstElement()
    {
        // z = a ⊙ b whose backward adds 0.5 to ∂L/∂b[2,5] only: input 1, element [2, 5] must be reported.
        Tensor Faulty(Tensor a, Tensor b)
        {
            Tensor z = a * b;
            return Tensor.Record(z.Detach().Clone(), "FaultyMulBackward", dz =>
            {
                var da = new float[a.Count];
                var db = new float[b.Count];
                for (int i = 0; i < a.Count; i++)
                {
                    da[i] = dz.Data[i] * b.Data[i];
                    db[i] = dz.Data[i] * a.Data[i];
                }
                db[2 * 17 + 5] += 0.5f;
                a.AccumulateGrad(da);
                b.AccumulateGrad(db);
            }, a, b);
        }

        var ex = Assert.Throws<GradCheckException>(() => GradCheck.Assert(x => Faulty(x[0], x[1]),
            [TestInputs.Randn(new Rng(2), 3, 17), TestInputs.Randn(new Rng(3), 3, 17)]));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Result.WorstInput, Is.EqualTo(1));
            Assert.That(ex.Result.WorstIndex, Is.EqualTo(new[] { 2, 5 }));
            Assert.That(ex.Result.WorstAnalytic - ex.Result.WorstNumeric, Is.EqualTo(0.5).Within(0.01));
            Assert.That(ex.Message, Does.Contain("FAILED").And.Contain("input 1 at [2, 5]").And.Contain("analytic").And.Contain("numeric"));
        });
    }

    [Test]
    public void ANaNGradientFails()
    {
        Tensor NaNGrad(Tensor x) => Tensor.Record(x.Detach().Clone(), "NaNBackward", dy => x.AccumulateGrad(float.NaN), x);
        GradCheckResult result = GradCheck.Check(x => NaNGrad(x[0]), [TestInputs.Randn(new Rng(4), 3)]);
        Assert.That(result.Passed, Is.False);
    }

    [Test]
    public void InputsAreLeftUntouched()
    {
        Tensor a = TestInputs.Randn(new Rng(5), 3, 17);
        float[] before = a.ToArray();
        GradCheck.Assert(x => x[0].Tanh(), [a]);
        Assert.Multiple(() =>
        {
            Assert.That(a.Data, Is.EqualTo(before));
            Assert.That(a.Grad, Is.Null);
        });
    }

    [Test]
    public void InputsWithoutRequiresGradAreConstants()
    {
        // The custom op gives the constant no gradient at all; the check must not hold that against it.
        Tensor c = Torch.Randn(new Rng(6), 17);
        Tensor ScaleBy(Tensor x, Tensor k)
        {
            var y = new Tensor(new float[x.Count], x.Count);
            for (int i = 0; i < x.Count; i++)
                y.Data[i] = x.Data[i] * k.Data[i];
            return Tensor.Record(y, "ScaleBackward", dy =>
            {
                var dx = new float[x.Count];
                for (int i = 0; i < x.Count; i++)
                    dx[i] = dy.Data[i] * k.Data[i];
                x.AccumulateGrad(dx);
            }, x, k);
        }
        GradCheckResult result = GradCheck.Assert(x => ScaleBy(x[0], x[1]), [TestInputs.Randn(new Rng(7), 17), c]);
        Assert.That(result.WorstInput, Is.EqualTo(0));
    }

    [Test]
    public void NoInputRequiringGradIsAnError()
    {
        var ex = Assert.Throws<ArgumentException>(() => GradCheck.Check(x => x[0].Tanh(), [Torch.Ones(3)]));
        Assert.That(ex!.Message, Does.Contain("RequiresGrad"));
    }
}
