namespace TinyTorch.Tests.Autograd;

/// <summary>Every differentiable op against central finite differences, on awkward shapes.</summary>
public class OpGradCheckTests
{
    private static readonly int[][] Shapes = [[1], [3], [17], [33], [1, 1], [3, 17], [17, 3], [33, 1], [1, 33], [3, 17, 2]];

    /// <summary>(shape of a, shape of b) pairs that broadcast, including a row over a batch both ways round.</summary>
    private static readonly object[] BroadcastPairs =
    [
        new object[] { new[] { 3, 17 }, new[] { 3, 17 } },
        new object[] { new[] { 3, 17 }, new[] { 17 } },
        new object[] { new[] { 17 }, new[] { 3, 17 } },
        new object[] { new[] { 33, 1 }, new[] { 1 } },
        new object[] { new[] { 17, 3 }, new[] { 1, 3 } },
        new object[] { new[] { 17, 3 }, new[] { 17, 1 } },
        new object[] { new[] { 1, 17 }, new[] { 3, 1 } },
        new object[] { new[] { 2, 3, 17 }, new[] { 3, 1 } },
        new object[] { new[] { 1 }, new[] { 33 } },
    ];

    [TestCaseSource(nameof(BroadcastPairs))]
    public void Add(int[] a, int[] b) =>
        TestInputs.Check(x => x[0] + x[1], TestInputs.Randn(new Rng(1), a), TestInputs.Randn(new Rng(2), b));

    [TestCaseSource(nameof(BroadcastPairs))]
    public void Sub(int[] a, int[] b) =>
        TestInputs.Check(x => x[0] - x[1], TestInputs.Randn(new Rng(3), a), TestInputs.Randn(new Rng(4), b));

    [TestCaseSource(nameof(BroadcastPairs))]
    public void Mul(int[] a, int[] b) =>
        TestInputs.Check(x => x[0] * x[1], TestInputs.Randn(new Rng(5), a), TestInputs.Randn(new Rng(6), b));

    [TestCaseSource(nameof(BroadcastPairs))]
    public void Div(int[] a, int[] b) =>
        TestInputs.Check(x => x[0] / x[1], TestInputs.Randn(new Rng(7), a), TestInputs.AwayFromZero(new Rng(8), 0.5f, b));

    [TestCaseSource(nameof(Shapes))]
    public void ScalarOperandsOnEitherSide(int[] shape) =>
        TestInputs.Check(x => (2.5f + x[0]) * 1.5f - (0.5f - x[0]) * (3f / (x[0].Square() + 1f)) / 2f - 1f + (-x[0]),
            TestInputs.Randn(new Rng(9), shape));

    [TestCaseSource(nameof(Shapes))]
    public void Neg(int[] shape) => TestInputs.Check(x => x[0].Neg(), TestInputs.Randn(new Rng(10), shape));

    [TestCaseSource(nameof(Shapes))]
    public void Relu(int[] shape) => TestInputs.Check(x => x[0].Relu(), TestInputs.AwayFromZero(new Rng(11), 0.05f, shape));

    [TestCaseSource(nameof(Shapes))]
    public void Tanh(int[] shape) => TestInputs.Check(x => x[0].Tanh(), TestInputs.Randn(new Rng(12), shape));

    [TestCaseSource(nameof(Shapes))]
    public void Sigmoid(int[] shape) => TestInputs.Check(x => x[0].Sigmoid(), TestInputs.Randn(new Rng(13), shape));

    [TestCaseSource(nameof(Shapes))]
    public void Exp(int[] shape) => TestInputs.Check(x => x[0].Exp(), TestInputs.Randn(new Rng(14), shape));

    [TestCaseSource(nameof(Shapes))]
    public void Log(int[] shape) => TestInputs.Check(x => x[0].Log(), TestInputs.Uniform(new Rng(15), 0.5f, 3f, shape));

    [TestCaseSource(nameof(Shapes))]
    public void Square(int[] shape) => TestInputs.Check(x => x[0].Square(), TestInputs.Randn(new Rng(16), shape));

    [TestCase(2f)]
    [TestCase(3f)]
    [TestCase(1.5f)]
    [TestCase(-0.5f)]
    [TestCase(0f)]
    public void Pow(float exponent) =>
        TestInputs.Check(x => x[0].Pow(exponent), TestInputs.Uniform(new Rng(17), 0.5f, 2f, 3, 17));

    [Test]
    public void PowOfNegativeBaseWithIntegerExponent() =>
        TestInputs.Check(x => x[0].Pow(3f), TestInputs.Uniform(new Rng(18), -2f, -0.5f, 17));

    [TestCase(new[] { 1, 1 }, new[] { 1, 1 })]
    [TestCase(new[] { 3, 17 }, new[] { 17, 33 })]
    [TestCase(new[] { 33, 1 }, new[] { 1, 17 })]
    [TestCase(new[] { 17, 33 }, new[] { 33, 3 })]
    [TestCase(new[] { 1, 33 }, new[] { 33, 1 })]
    [TestCase(new[] { 17 }, new[] { 17, 3 })]
    [TestCase(new[] { 3, 17 }, new[] { 17 })]
    [TestCase(new[] { 33 }, new[] { 33 })]
    public void MatMul(int[] a, int[] b) =>
        TestInputs.Check(x => x[0].MatMul(x[1]), TestInputs.Randn(new Rng(19), a), TestInputs.Randn(new Rng(20), b));

    [Test]
    public void MatMulOfTheSameTensorTwice() =>
        TestInputs.Check(x => x[0].MatMul(x[0].T()), TestInputs.Randn(new Rng(21), 3, 17));

    [TestCaseSource(nameof(Shapes))]
    public void SumOfAll(int[] shape) => TestInputs.Check(x => x[0].Sum(), TestInputs.Randn(new Rng(22), shape));

    [TestCaseSource(nameof(Shapes))]
    public void MeanOfAll(int[] shape) => TestInputs.Check(x => x[0].Mean(), TestInputs.Randn(new Rng(23), shape));

    [TestCase(new[] { 3, 17, 2 }, 0, false)]
    [TestCase(new[] { 3, 17, 2 }, 1, true)]
    [TestCase(new[] { 3, 17, 2 }, -1, false)]
    [TestCase(new[] { 17, 3 }, 1, false)]
    [TestCase(new[] { 17, 3 }, -2, true)]
    [TestCase(new[] { 33, 1 }, 1, false)]
    [TestCase(new[] { 33 }, 0, true)]
    public void SumAndMeanAlongADim(int[] shape, int dim, bool keepdim)
    {
        TestInputs.Check(x => x[0].Sum(dim, keepdim), TestInputs.Randn(new Rng(24), shape));
        TestInputs.Check(x => x[0].Mean(dim, keepdim), TestInputs.Randn(new Rng(25), shape));
    }

    [TestCase(new[] { 3, 17, 2 }, 0, false)]
    [TestCase(new[] { 3, 17, 2 }, 1, true)]
    [TestCase(new[] { 3, 17, 2 }, -1, false)]
    [TestCase(new[] { 17, 3 }, 1, false)]
    [TestCase(new[] { 33, 1 }, 1, true)]
    [TestCase(new[] { 33 }, 0, false)]
    public void MaxAlongADim(int[] shape, int dim, bool keepdim) =>
        TestInputs.Check(x => x[0].Max(dim, keepdim).Values, TestInputs.Distinct(new Rng(26), shape));

    [TestCase(1, false)]
    [TestCase(-1, true)]
    public void Gather(int dim, bool keepdim)
    {
        var rng = new Rng(27);
        int[] actions = TestInputs.Indices(rng, 33, 3);
        TestInputs.Check(x => x[0].Gather(dim, actions, keepdim), TestInputs.Randn(rng, 33, 3));
    }

    [TestCase(new[] { 3, 17 }, 1)]
    [TestCase(new[] { 3, 17 }, 0)]
    [TestCase(new[] { 17, 3 }, -1)]
    [TestCase(new[] { 33, 1 }, 1)]
    [TestCase(new[] { 3, 17, 2 }, 1)]
    [TestCase(new[] { 33 }, 0)]
    public void LogSoftmax(int[] shape, int dim) =>
        TestInputs.Check(x => x[0].LogSoftmax(dim), TestInputs.Randn(new Rng(28), shape));

    [Test]
    public void LogSoftmaxOfSpreadLogits() =>
        TestInputs.Check(x => x[0].LogSoftmax(1), Torch.Randn(new Rng(29), 3, 17).Mul(4f).RequiresGrad_());

    [Test]
    public void ReshapeViewSqueezeUnsqueeze()
    {
        // Each view is followed by a product with a fixed tensor of the new shape, so that a gradient landing
        // on the wrong flat element would show.
        Tensor w17x3 = Torch.Randn(new Rng(30), 17, 3);
        TestInputs.Check(x => x[0].Reshape(17, 3) * w17x3, TestInputs.Randn(new Rng(31), 3, 17));
        TestInputs.Check(x => x[0].View(-1, 3) * w17x3, TestInputs.Randn(new Rng(32), 51));
        TestInputs.Check(x => x[0].Squeeze(1) * x[0].Squeeze(1), TestInputs.Randn(new Rng(33), 33, 1));
        TestInputs.Check(x => x[0].Unsqueeze(1) * Torch.Randn(new Rng(34), 33, 1), TestInputs.Randn(new Rng(35), 33));
        TestInputs.Check(x => x[0].Unsqueeze(0) * Torch.Randn(new Rng(36), 1, 33), TestInputs.Randn(new Rng(37), 33));
    }

    [TestCase(3, 17)]
    [TestCase(1, 33)]
    [TestCase(33, 1)]
    public void Transpose(int rows, int cols)
    {
        Tensor w = Torch.Randn(new Rng(38), cols, rows);
        TestInputs.Check(x => x[0].T() * w, TestInputs.Randn(new Rng(39), rows, cols));
    }

    [TestCase(new[] { 33 }, false)]
    [TestCase(new[] { 3, 17 }, true)]
    [TestCase(new[] { 1 }, true)]
    public void MseLoss(int[] shape, bool targetRequiresGrad)
    {
        Tensor target = Torch.Randn(new Rng(40), shape).RequiresGrad_(targetRequiresGrad);
        TestInputs.Check(x => x[0].MseLoss(x[1]), TestInputs.Randn(new Rng(41), shape), target);
    }

    [TestCase(new[] { 33 }, 1f, false)]
    [TestCase(new[] { 3, 17 }, 1f, true)]
    [TestCase(new[] { 17, 3 }, 0.5f, true)]
    [TestCase(new[] { 1 }, 2f, false)]
    public void SmoothL1Loss(int[] shape, float beta, bool targetRequiresGrad)
    {
        var rng = new Rng(42);
        Tensor input = Torch.Randn(rng, shape).Mul(2f);
        Tensor target = Torch.Randn(rng, shape);
        // Keep every |input − target| at least 0.05 away from β, the kink between the quadratic and linear parts.
        for (int i = 0; i < input.Count; i++)
        {
            float d = input.Data[i] - target.Data[i];
            if (MathF.Abs(MathF.Abs(d) - beta) < 0.05f)
                input.Data[i] += MathF.Sign(d) * 0.1f;
        }
        TestInputs.Check(x => x[0].SmoothL1Loss(x[1], beta), input.RequiresGrad_(), target.RequiresGrad_(targetRequiresGrad));
    }

    /// <summary>
    /// The unreduced losses, weighted per element the way prioritized replay weights them, and the summed ones (on few
    /// elements: a float sum of many losses is too coarse for finite differences).
    /// </summary>
    [TestCase(Reduction.None, 1f, new[] { 3, 17 })]
    [TestCase(Reduction.None, 0.5f, new[] { 17, 3 })]
    [TestCase(Reduction.Sum, 1f, new[] { 5 })]
    public void LossReductions(Reduction reduction, float beta, int[] shape)
    {
        var rng = new Rng(44);
        Tensor input = Torch.Randn(rng, shape).Mul(2f);
        Tensor target = Torch.Randn(rng, shape);
        for (int i = 0; i < input.Count; i++)
        {
            float d = input.Data[i] - target.Data[i];
            if (MathF.Abs(MathF.Abs(d) - beta) < 0.05f)
                input.Data[i] += MathF.Sign(d) * 0.1f;
        }
        Tensor weights = Torch.Uniform(rng, 0.1f, 1f, shape);
        Tensor Weighted(Tensor loss) => reduction == Reduction.None ? (loss * weights).Mean() : loss;
        TestInputs.Check(x => Weighted(x[0].SmoothL1Loss(x[1], beta, reduction)), input.RequiresGrad_(), target.RequiresGrad_());
        TestInputs.Check(x => Weighted(x[0].MseLoss(x[1], reduction)), input.Detach().Clone().RequiresGrad_(), target.Detach().Clone().RequiresGrad_());
    }

    [TestCase(new[] { 33, 3 }, 1, 1, 2)]
    [TestCase(new[] { 33, 3 }, 1, 0, 1)]
    [TestCase(new[] { 17, 3 }, 0, 5, 12)]
    [TestCase(new[] { 3, 17, 2 }, 1, 4, 13)]
    [TestCase(new[] { 3, 17, 2 }, -1, 1, 1)]
    public void Narrow(int[] shape, int dim, int start, int length) =>
        TestInputs.Check(x => x[0].Narrow(dim, start, length).Square(), TestInputs.Randn(new Rng(45), shape));

    /// <summary>A whole DQN-style loss: two layers, a row-broadcast bias, gather of the taken actions, Huber loss.</summary>
    [Test]
    public void TwoLayerQNetworkLoss()
    {
        var rng = new Rng(43);
        Tensor obs = Torch.Randn(rng, 17, 4);
        int[] actions = TestInputs.Indices(rng, 17, 3);
        Tensor targets = Torch.Randn(rng, 17);
        TestInputs.Check(p =>
            {
                Tensor hidden = (obs.MatMul(p[0].T()) + p[1]).Tanh();
                Tensor q = hidden.MatMul(p[2].T()) + p[3];
                return q.Gather(1, actions).SmoothL1Loss(targets);
            },
            TestInputs.Randn(rng, 33, 4), TestInputs.Randn(rng, 33), TestInputs.Randn(rng, 3, 33), TestInputs.Randn(rng, 3));
    }
}
