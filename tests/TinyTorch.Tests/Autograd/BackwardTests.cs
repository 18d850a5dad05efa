namespace TinyTorch.Tests.Autograd;

/// <summary>The graph mechanics: accumulation, seeding, grad mode, detaching, retained gradients, names.</summary>
public class BackwardTests
{
    [Test]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        Tensor x = Torch.FromArray([1f, 2f, 3f]).RequiresGrad_();
        Tensor loss = (x * x).Sum();
        loss.Backward();
        Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 2f, 4f, 6f }));  // ∂Σx²/∂x = 2x

        loss.Backward();
        Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 4f, 8f, 12f }));  // += 2x again

        (x * 3f).Sum().Backward();
        Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 7f, 11f, 15f }));  // += 3 from another graph

        x.ZeroGrad();
        Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 0f, 0f, 0f }));
    }

    [Test]
    public void ATensorUsedTwiceReceivesBothGradients()
    {
        // z = y + y with y = 2x: ∂z/∂x = 2·2 = 4 (a diamond in the graph, y's gradient must be complete before it flows on).
        Tensor x = Torch.FromArray([1f, -1f]).RequiresGrad_();
        Tensor y = x * 2f;
        (y + y).Sum().Backward();
        Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 4f, 4f }));
    }

    [Test]
    public void BackwardOnANonScalarWithoutAGradientThrows()
    {
        Tensor y = Torch.Ones(2, 3).RequiresGrad_() * 2f;
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(ex!.Message, Does.Contain("[2, 3]"));
    }

    [Test]
    public void BackwardWithAGradientOfTheWrongShapeThrows()
    {
        Tensor y = Torch.Ones(2, 3).RequiresGrad_() * 2f;
        var ex = Assert.Throws<ArgumentException>(() => y.Backward(Torch.Ones(3, 2)));
        Assert.That(ex!.Message, Does.Contain("[2, 3]").And.Contain("[3, 2]"));
    }

    [Test]
    public void BackwardWithAnExplicitGradientWeighsTheOutputs()
    {
        Tensor x = Torch.FromArray([1f, 2f]).RequiresGrad_();
        (x * x).Backward(Torch.FromArray([10f, -1f]));
        Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 20f, -4f }));  // w ⊙ 2x
    }

    [Test]
    public void BackwardWithoutAnyInputRequiringGradThrows()
    {
        Tensor y = Torch.Ones(1) * 2f;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Test]
    public void NoGradRecordsNothing()
    {
        Tensor x = Torch.Ones(3).RequiresGrad_();
        using (Torch.NoGrad())
        {
            Tensor y = (x * 2f + 1f).Tanh();
            Assert.Multiple(() =>
            {
                Assert.That(y.GradFn, Is.Null);
                Assert.That(y.RequiresGrad, Is.False);
                Assert.That(Torch.IsGradEnabled, Is.False);
            });
            using (Torch.NoGrad())
                Assert.That((x * 2f).GradFn, Is.Null);
            Assert.That((x * 2f).GradFn, Is.Null, "still inside the outer scope");
        }
        Assert.Multiple(() =>
        {
            Assert.That(Torch.IsGradEnabled, Is.True);
            Assert.That((x * 2f).GradFn, Is.Not.Null);
        });
    }

    [Test]
    public void DetachCutsTheGraphButSharesTheData()
    {
        Tensor x = Torch.FromArray([1f, 2f]).RequiresGrad_();
        Tensor d = x.Detach();
        // z = 2x + 5·detach(x): the detached branch is a constant, so ∂z/∂x = 2.
        (x * 2f + d * 5f).Sum().Backward();
        Assert.Multiple(() =>
        {
            Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 2f, 2f }));
            Assert.That(d.RequiresGrad, Is.False);
            Assert.That(d.Grad, Is.Null);
        });
        d.Data[0] = 7f;
        Assert.That(x.Data[0], Is.EqualTo(7f));
    }

    [Test]
    public void RetainGradKeepsAnIntermediateGradient()
    {
        // h = 3x, u = h + 1, loss = Σu²: ∂loss/∂h = 2u, ∂loss/∂x = 3·2u.
        Tensor x = Torch.FromArray([1f, -2f]).RequiresGrad_();
        Tensor h = (x * 3f).RetainGrad();
        Tensor u = h + 1f;
        u.Square().Sum().Backward();
        Assert.Multiple(() =>
        {
            Assert.That(h.Grad!.Data, Is.EqualTo(new[] { 8f, -10f }));  // u = [4, −5]
            Assert.That(u.Grad, Is.Null, "not retained");
            Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 24f, -30f }));
        });
    }

    [Test]
    public void ALossTargetThatDoesNotRequireGradGetsNone()
    {
        Tensor input = Torch.FromArray([1f, 2f]).RequiresGrad_();
        Tensor target = Torch.FromArray([0f, 0f]);
        input.SmoothL1Loss(target).Backward();
        input.MseLoss(target).Backward();
        Assert.Multiple(() =>
        {
            Assert.That(target.Grad, Is.Null);
            Assert.That(input.Grad, Is.Not.Null);
        });
    }

    /// <summary>
    /// A two-layer network worked by hand. x = [1, 2], W1 = [[1, −1], [0.5, 1]], b1 = [0.5, −0.5],
    /// w2 = [[3, −2]], b2 = [1], target t = −1:
    ///   W1·x = [1 − 2, 0.5 + 2] = [−1, 2.5];  pre = W1·x + b1 = [−0.5, 2];  h = relu(pre) = [0, 2]
    ///   y = w2·h + b2 = 3·0 − 2·2 + 1 = −3;   loss = (y − t)² = (−2)² = 4
    /// Backward: ∂loss/∂y = 2(y − t) = −4
    ///   ∂/∂b2 = −4;  ∂/∂w2 = −4·hᵀ = [[0, −8]];  ∂/∂h = −4·w2 = [−12, 8]
    ///   relu passes where pre &gt; 0: ∂/∂pre = [0, 8];  ∂/∂b1 = [0, 8];  ∂/∂W1 = ∂pre ⊗ x = [[0, 0], [8, 16]].
    /// </summary>
    [Test]
    public void TwoLayerExampleMatchesTheHandDerivation()
    {
        Tensor x = Torch.FromRows([[1f, 2f]]);
        Tensor w1 = Torch.FromRows([[1f, -1f], [0.5f, 1f]]).RequiresGrad_();
        Tensor b1 = Torch.FromArray([0.5f, -0.5f]).RequiresGrad_();
        Tensor w2 = Torch.FromRows([[3f, -2f]]).RequiresGrad_();
        Tensor b2 = Torch.FromArray([1f]).RequiresGrad_();

        Tensor h = (x.MatMul(w1.T()) + b1).Relu();
        Tensor y = h.MatMul(w2.T()) + b2;
        Tensor loss = y.MseLoss(Torch.FromRows([[-1f]]));
        loss.Backward();

        Assert.Multiple(() =>
        {
            Assert.That(h.Data, Is.EqualTo(new[] { 0f, 2f }));
            Assert.That(y.Item(), Is.EqualTo(-3f));
            Assert.That(loss.Item(), Is.EqualTo(4f));
            Assert.That(b2.Grad!.Data, Is.EqualTo(new[] { -4f }));
            Assert.That(w2.Grad!.Data, Is.EqualTo(new[] { 0f, -8f }));
            Assert.That(b1.Grad!.Data, Is.EqualTo(new[] { 0f, 8f }));
            Assert.That(w1.Grad!.Data, Is.EqualTo(new[] { 0f, 0f, 8f, 16f }));
        });
    }

    [Test]
    public void IntermediateGradientsAreReleasedAfterBackward()
    {
        Tensor x = Torch.Ones(2).RequiresGrad_();
        Tensor h = x.Exp();
        h.Sum().Backward();
        Assert.Multiple(() =>
        {
            Assert.That(h.Grad, Is.Null);
            Assert.That(x.Grad, Is.Not.Null);
        });
    }

    private static readonly object[] GradFnNames =
    [
        new object[] { (Func<Tensor, Tensor>)(x => x + x), "AddBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x + 1f), "AddBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x - x), "SubBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => 1f - x), "RsubBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x * x), "MulBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x / x), "DivBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => -x), "NegBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.MatMul(x.T())), "MmBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.T()), "TBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Relu()), "ReluBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Tanh()), "TanhBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Sigmoid()), "SigmoidBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Exp()), "ExpBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Log()), "LogBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Square()), "PowBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Pow(3f)), "PowBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Sum()), "SumBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Mean(1)), "MeanBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Max(1).Values), "MaxBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Gather(1, [0, 1])), "GatherBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.LogSoftmax(1)), "LogSoftmaxBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.View(4)), "ViewBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Unsqueeze(0)), "UnsqueezeBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.Squeeze(0)), "SqueezeBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.MseLoss(Torch.Zeros(2, 2))), "MseLossBackward" },
        new object[] { (Func<Tensor, Tensor>)(x => x.SmoothL1Loss(Torch.Zeros(2, 2))), "SmoothL1LossBackward" },
    ];

    [TestCaseSource(nameof(GradFnNames))]
    public void GradFnIsNamedAsPyTorchPrintsIt(Func<Tensor, Tensor> op, string name)
    {
        Tensor x = Torch.FromRows([[1f, 2f], [3f, 4f]]).RequiresGrad_();
        Assert.That(op(x).GradFn!.Name, Is.EqualTo(name));
    }
}
