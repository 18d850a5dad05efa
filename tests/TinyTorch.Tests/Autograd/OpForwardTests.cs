using MathNet.Numerics.LinearAlgebra;

namespace TinyTorch.Tests.Autograd;

/// <summary>Forward values against independent references (MathNet, double-precision math, hand-derived numbers) and bad-input errors.</summary>
public class OpForwardTests
{
    private static void AssertClose(float[] actual, double[] expected, double rtol = 1e-5, double atol = 1e-6)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < expected.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(atol + rtol * Math.Abs(expected[i])), $"element {i}");
    }

    [TestCase(3, 17, 33)]
    [TestCase(1, 1, 1)]
    [TestCase(33, 1, 17)]
    public void MatMulMatchesMathNet(int m, int k, int n)
    {
        var rng = new Rng(1);
        Tensor a = Torch.Randn(rng, m, k), b = Torch.Randn(rng, k, n);
        Matrix<double> expected = Matrix<double>.Build.Dense(m, k, (i, j) => a[i, j]) * Matrix<double>.Build.Dense(k, n, (i, j) => b[i, j]);
        Tensor c = a.MatMul(b);
        Assert.That(c.Shape.ToArray(), Is.EqualTo(new[] { m, n }));
        AssertClose(c.Data, expected.ToRowMajorArray(), 1e-5, 1e-5);
    }

    [Test]
    public void MatMulWithVectorsDropsTheirDimension()
    {
        Tensor m = Torch.FromRows([[1f, 2f], [3f, 4f], [5f, 6f]]);
        Assert.Multiple(() =>
        {
            Assert.That(Torch.FromArray([1f, 1f, 1f]).MatMul(m).Data, Is.EqualTo(new[] { 9f, 12f }));
            Assert.That(m.MatMul(Torch.FromArray([1f, -1f])).Data, Is.EqualTo(new[] { -1f, -1f, -1f }));
            Assert.That(Torch.FromArray([1f, 2f]).MatMul(Torch.FromArray([3f, 4f])).Item(), Is.EqualTo(11f));
            Assert.That(Torch.FromArray([1f, 2f]).MatMul(Torch.FromArray([3f, 4f])).Rank, Is.EqualTo(0));
        });
    }

    [Test]
    public void MatMulShapeErrorNamesTheOpAndBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Torch.Zeros(3, 4).MatMul(Torch.Zeros(5, 6)));
        Assert.That(ex!.Message, Does.Contain("matmul").And.Contain("[3, 4]").And.Contain("[5, 6]"));
    }

    [Test]
    public void RowBroadcastAppliesTheRowToEveryRowOfTheBatch()
    {
        Tensor batch = Torch.FromRows([[1f, 2f, 3f], [4f, 5f, 6f]]);
        Tensor row = Torch.FromArray([10f, 20f, 40f]);
        Assert.Multiple(() =>
        {
            Assert.That((batch + row).Data, Is.EqualTo(new[] { 11f, 22f, 43f, 14f, 25f, 46f }));
            Assert.That((row - batch).Data, Is.EqualTo(new[] { 9f, 18f, 37f, 6f, 15f, 34f }));
            Assert.That((batch * row).Data, Is.EqualTo(new[] { 10f, 40f, 120f, 40f, 100f, 240f }));
            Assert.That((batch / row).Data, Is.EqualTo(new[] { 0.1f, 0.1f, 0.075f, 0.4f, 0.25f, 0.15f }));
            Assert.That((batch + row).Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        });
    }

    [Test]
    public void ColumnAndRowBroadcastTogetherMakeAnOuterProduct()
    {
        Tensor column = Torch.FromArray([1f, 2f], 2, 1), row = Torch.FromArray([3f, 4f, 5f], 1, 3);
        Tensor outer = column * row;
        Assert.Multiple(() =>
        {
            Assert.That(outer.Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(outer.Data, Is.EqualTo(new[] { 3f, 4f, 5f, 6f, 8f, 10f }));
        });
    }

    [Test]
    public void BroadcastGradientSumsOverTheBatch()
    {
        // z = batch + row, loss = Σ z ⊙ w: ∂loss/∂row_j = Σ_b w_bj.
        Tensor batch = Torch.Zeros(2, 3).RequiresGrad_();
        Tensor row = Torch.Zeros(3).RequiresGrad_();
        ((batch + row) * Torch.FromRows([[1f, 2f, 3f], [10f, 20f, 30f]])).Sum().Backward();
        Assert.That(row.Grad!.Data, Is.EqualTo(new[] { 11f, 22f, 33f }));
    }

    [Test]
    public void IncompatibleShapesNameTheOpAndBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = Torch.Zeros(3, 4) + Torch.Zeros(5));
        Assert.That(ex!.Message, Does.Contain("add").And.Contain("[3, 4]").And.Contain("[5]"));
        ex = Assert.Throws<ArgumentException>(() => _ = Torch.Zeros(3, 4) / Torch.Zeros(3));
        Assert.That(ex!.Message, Does.Contain("div").And.Contain("[3, 4]").And.Contain("[3]"));
    }

    [Test]
    public void ScalarOperatorsOnEitherSide()
    {
        Tensor x = Torch.FromArray([1f, 2f, 4f]);
        Assert.Multiple(() =>
        {
            Assert.That((x + 1f).Data, Is.EqualTo(new[] { 2f, 3f, 5f }));
            Assert.That((1f + x).Data, Is.EqualTo(new[] { 2f, 3f, 5f }));
            Assert.That((x - 1f).Data, Is.EqualTo(new[] { 0f, 1f, 3f }));
            Assert.That((1f - x).Data, Is.EqualTo(new[] { 0f, -1f, -3f }));
            Assert.That((x * 2f).Data, Is.EqualTo(new[] { 2f, 4f, 8f }));
            Assert.That((2f * x).Data, Is.EqualTo(new[] { 2f, 4f, 8f }));
            Assert.That((x / 2f).Data, Is.EqualTo(new[] { 0.5f, 1f, 2f }));
            Assert.That((2f / x).Data, Is.EqualTo(new[] { 2f, 1f, 0.5f }));
            Assert.That((-x).Data, Is.EqualTo(new[] { -1f, -2f, -4f }));
        });
    }

    [Test]
    public void ElementWiseMathMatchesDoublePrecision()
    {
        float[] v = [-3f, -0.5f, 0.25f, 1f, 2.5f];
        float[] positive = [0.1f, 0.5f, 1f, 2f, 7.5f];
        double[] Map(float[] xs, Func<double, double> f) => xs.Select(x => f(x)).ToArray();
        AssertClose(Torch.FromArray(v).Tanh().Data, Map(v, Math.Tanh));
        AssertClose(Torch.FromArray(v).Sigmoid().Data, Map(v, x => 1 / (1 + Math.Exp(-x))));
        AssertClose(Torch.FromArray(v).Exp().Data, Map(v, Math.Exp));
        AssertClose(Torch.FromArray(positive).Log().Data, Map(positive, Math.Log));
        AssertClose(Torch.FromArray(v).Square().Data, Map(v, x => x * x));
        AssertClose(Torch.FromArray(positive).Pow(1.5f).Data, Map(positive, x => Math.Pow(x, 1.5)));
        AssertClose(Torch.FromArray(v).Pow(3f).Data, Map(v, x => x * x * x));
        AssertClose(Torch.FromArray(v).Relu().Data, Map(v, x => Math.Max(x, 0)));
    }

    [Test]
    public void PowWithExponentZeroHasAZeroGradientEvenAtZero()
    {
        Tensor x = Torch.FromArray([0f, 2f]).RequiresGrad_();
        x.Pow(0f).Sum().Backward();
        Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 0f, 0f }));
    }

    [Test]
    public void ReluGradientAtZeroIsZero()
    {
        Tensor x = Torch.FromArray([-1f, 0f, 1f]).RequiresGrad_();
        x.Relu().Sum().Backward();
        Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 0f, 0f, 1f }));
    }

    [TestCase(0, false)]
    [TestCase(1, true)]
    [TestCase(2, false)]
    [TestCase(-1, true)]
    public void SumAndMeanAlongADimMatchLoops(int dim, bool keepdim)
    {
        Tensor x = Torch.Randn(new Rng(2), 3, 4, 5);
        int d = dim < 0 ? dim + 3 : dim;
        int[] shape = [3, 4, 5];
        int[] outShape = keepdim ? [.. shape] : shape.Where((_, i) => i != d).ToArray();
        if (keepdim) outShape[d] = 1;
        var sums = new double[x.Count / shape[d]];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                for (int k = 0; k < 5; k++)
                    sums[Flat([i, j, k], shape, d)] += x[i, j, k];
        Tensor s = x.Sum(dim, keepdim), m = x.Mean(dim, keepdim);
        Assert.That(s.Shape.ToArray(), Is.EqualTo(outShape));
        Assert.That(m.Shape.ToArray(), Is.EqualTo(outShape));
        AssertClose(s.Data, sums, 1e-5, 1e-5);
        AssertClose(m.Data, sums.Select(v => v / shape[d]).ToArray(), 1e-5, 1e-5);
    }

    /// <summary>Row-major position of idx in the shape with dimension d removed.</summary>
    private static int Flat(int[] idx, int[] shape, int d)
    {
        int flat = 0;
        for (int i = 0; i < shape.Length; i++)
            if (i != d)
                flat = flat * shape[i] + idx[i];
        return flat;
    }

    [Test]
    public void SumAndMeanOfAllAreZeroDim()
    {
        Tensor x = Torch.FromRows([[1f, 2f], [3f, 6f]]);
        Assert.Multiple(() =>
        {
            Assert.That(x.Sum().Item(), Is.EqualTo(12f));
            Assert.That(x.Sum().Rank, Is.EqualTo(0));
            Assert.That(x.Mean().Item(), Is.EqualTo(3f));
            Assert.That(Torch.Zeros(0).Sum().Item(), Is.EqualTo(0f));
            Assert.That(Torch.Zeros(0).Mean().Item(), Is.NaN);
        });
    }

    [Test]
    public void ADimOutOfRangeNamesTheOpAndTheValidRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Torch.Zeros(3, 4).Sum(2));
        Assert.That(ex!.Message, Does.Contain("sum").And.Contain("[3, 4]").And.Contain("-2..1"));
    }

    [Test]
    public void MaxReturnsValuesAndFirstIndexOnTies()
    {
        Tensor q = Torch.FromRows([[1f, 3f, 3f], [-0f, 0f, -1f], [2f, float.NaN, 5f], [-4f, -2f, -3f]]);
        var (values, indices) = q.Max(1);
        Assert.Multiple(() =>
        {
            Assert.That(indices, Is.EqualTo(new[] { 1, 0, 1, 1 }));
            Assert.That(values.Data[0], Is.EqualTo(3f));
            Assert.That(float.IsNegative(values.Data[1]), Is.True, "−0 ties +0 and comes first");
            Assert.That(values.Data[2], Is.NaN);
            Assert.That(values.Data[3], Is.EqualTo(-2f));
            Assert.That(values.Shape.ToArray(), Is.EqualTo(new[] { 4 }));
            Assert.That(q.Max(1, keepdim: true).Values.Shape.ToArray(), Is.EqualTo(new[] { 4, 1 }));
        });
    }

    [Test]
    public void MaxAlongTheFirstDimAndItsGradientGoesToTheArgmaxOnly()
    {
        Tensor x = Torch.FromRows([[1f, 9f], [5f, 2f], [5f, 3f]]).RequiresGrad_();
        var (values, indices) = x.Max(0);
        (values * Torch.FromArray([10f, 100f])).Sum().Backward();
        Assert.Multiple(() =>
        {
            Assert.That(values.Data, Is.EqualTo(new[] { 5f, 9f }));
            Assert.That(indices, Is.EqualTo(new[] { 1, 0 }));
            Assert.That(x.Grad!.Data, Is.EqualTo(new[] { 0f, 100f, 10f, 0f, 0f, 0f }));
        });
    }

    [Test]
    public void GatherPicksOneColumnPerRow()
    {
        Tensor q = Torch.FromRows([[1f, 2f], [3f, 4f], [5f, 6f]]).RequiresGrad_();
        int[] actions = [1, 0, 1];
        Tensor picked = q.Gather(1, actions);
        actions[0] = 0;  // the op copied the indices: reusing the array must not change the gradient
        picked.Backward(Torch.FromArray([10f, 20f, 30f]));
        Assert.Multiple(() =>
        {
            Assert.That(picked.Data, Is.EqualTo(new[] { 2f, 3f, 6f }));
            Assert.That(picked.Shape.ToArray(), Is.EqualTo(new[] { 3 }));
            Assert.That(q.Gather(-1, [0, 0, 0], keepdim: true).Shape.ToArray(), Is.EqualTo(new[] { 3, 1 }));
            Assert.That(q.Grad!.Data, Is.EqualTo(new[] { 0f, 10f, 20f, 0f, 0f, 30f }));
        });
    }

    [Test]
    public void GatherRejectsBadIndicesWithAUsefulMessage()
    {
        Tensor q = Torch.Zeros(3, 2);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => q.Gather(1, [0, 2, 1]));
        Assert.That(ex!.Message, Does.Contain("index 2").And.Contain("row 1").And.Contain("0..1"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => q.Gather(1, [0, 1, -1]));
        Assert.That(ex!.Message, Does.Contain("index -1").And.Contain("row 2"));
        var shapeEx = Assert.Throws<ArgumentException>(() => q.Gather(1, [0, 1]));
        Assert.That(shapeEx!.Message, Does.Contain("[3, 2]").And.Contain("[2]"));
        Assert.Throws<ArgumentException>(() => q.Gather(0, [0, 1]));
    }

    [Test]
    public void LogSoftmaxMatchesDoublePrecisionAndSurvivesHugeLogits()
    {
        double[] Reference(double[] x)
        {
            double lse = Math.Log(x.Sum(v => Math.Exp(v - x.Max()))) + x.Max();
            return x.Select(v => v - lse).ToArray();
        }
        AssertClose(Torch.FromArray([0.5f, -1f, 2f]).LogSoftmax(0).Data, Reference([0.5, -1, 2]));
        // e^1000 overflows float32 (and double); the shifted form does not.
        AssertClose(Torch.FromArray([1000f, 1001f, 1002f]).LogSoftmax(-1).Data, Reference([0, 1, 2]));
        // Along dim 0 of a 2-D tensor: the columns are the lines.
        Tensor cols = Torch.FromRows([[1f, 10f], [2f, 20f]]).LogSoftmax(0);
        AssertClose(cols.Data, [Reference([1, 2])[0], Reference([10, 20])[0], Reference([1, 2])[1], Reference([10, 20])[1]]);
        Assert.That(Torch.Zeros(3, 0).LogSoftmax(1).Shape.ToArray(), Is.EqualTo(new[] { 3, 0 }));
    }

    [Test]
    public void LossesMatchHandComputedValues()
    {
        // d = [0.5, 3, −2]. MSE: (0.25 + 9 + 4)/3 = 13.25/3; ∂/∂x = 2d/3.
        // Huber β = 1: [0.5·0.25, 3 − 0.5, 2 − 0.5] = [0.125, 2.5, 1.5] → 4.125/3 = 1.375; ∂/∂x = clamp(d, −1, 1)/3.
        // Huber β = 2: [0.5·0.25/2, 3 − 1, 2 − 1] = [0.0625, 2, 1] → 3.0625/3 (|d| = β sits on the linear side, both sides agree there).
        Tensor target = Torch.FromArray([1f, 1f, 1f]);
        Tensor x = Torch.FromArray([1.5f, 4f, -1f]).RequiresGrad_();
        Tensor mse = x.MseLoss(target);
        mse.Backward();
        Assert.That(mse.Item(), Is.EqualTo(13.25f / 3f).Within(1e-6));
        AssertClose(x.Grad!.Data, [1.0 / 3, 2.0, -4.0 / 3]);

        x.ZeroGrad();
        Tensor huber = x.SmoothL1Loss(target);
        huber.Backward();
        Assert.That(huber.Item(), Is.EqualTo(1.375f).Within(1e-6));
        AssertClose(x.Grad!.Data, [0.5 / 3, 1.0 / 3, -1.0 / 3]);

        Assert.That(x.SmoothL1Loss(target, beta: 2f).Item(), Is.EqualTo(3.0625f / 3f).Within(1e-6));
    }

    [Test]
    public void LossReductionsKeepOrAddThePerElementValues()
    {
        // d = [0.5, 3, −2] as above: MSE ℓ = [0.25, 9, 4], Huber (β = 1) ℓ = [0.125, 2.5, 1.5].
        Tensor target = Torch.FromArray([1f, 1f, 1f]);
        Tensor x = Torch.FromArray([1.5f, 4f, -1f]);
        Assert.Multiple(() =>
        {
            Assert.That(x.MseLoss(target, Reduction.None).Data, Is.EqualTo(new[] { 0.25f, 9f, 4f }));
            Assert.That(x.MseLoss(target, Reduction.Sum).Item(), Is.EqualTo(13.25f));
            Assert.That(x.SmoothL1Loss(target, reduction: Reduction.None).Data, Is.EqualTo(new[] { 0.125f, 2.5f, 1.5f }));
            Assert.That(x.SmoothL1Loss(target, reduction: Reduction.Sum).Item(), Is.EqualTo(4.125f));
            Assert.That(x.SmoothL1Loss(target, reduction: Reduction.None).Shape.ToArray(), Is.EqualTo(new[] { 3 }));
            Assert.That(() => x.MseLoss(target, (Reduction)9), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("reduction"));
        });
    }

    [Test]
    public void NarrowCopiesTheSliceAlongADimension()
    {
        // [[0, 1, 2], [3, 4, 5]]: columns 1..2 are [[1, 2], [4, 5]], row 1 is [[3, 4, 5]].
        Tensor x = Torch.FromRows([[0f, 1f, 2f], [3f, 4f, 5f]]);
        Tensor columns = x.Narrow(1, 1, 2);
        Assert.That(columns.Shape.ToArray(), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(columns.Data, Is.EqualTo(new[] { 1f, 2f, 4f, 5f }));
        Assert.That(x.Narrow(0, 1, 1).Data, Is.EqualTo(new[] { 3f, 4f, 5f }));
        Assert.That(() => x.Narrow(1, 2, 2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("start 2 and length 2"));
    }

    [Test]
    public void LossesRejectMismatchedShapesAndBadBeta()
    {
        var ex = Assert.Throws<ArgumentException>(() => Torch.Zeros(4).MseLoss(Torch.Zeros(4, 1)));
        Assert.That(ex!.Message, Does.Contain("mse_loss").And.Contain("[4]").And.Contain("[4, 1]"));
        ex = Assert.Throws<ArgumentException>(() => Torch.Zeros(4).SmoothL1Loss(Torch.Zeros(3)));
        Assert.That(ex!.Message, Does.Contain("smooth_l1_loss").And.Contain("[4]").And.Contain("[3]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Torch.Zeros(4).SmoothL1Loss(Torch.Zeros(4), beta: 0f));
    }

    [Test]
    public void ReshapeInfersMinusOneAndSharesTheData()
    {
        Tensor x = Torch.FromArray([1f, 2f, 3f, 4f, 5f, 6f]);
        Tensor v = x.Reshape(-1, 3);
        v[1, 2] = 60f;
        Assert.Multiple(() =>
        {
            Assert.That(v.Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(x.Data[5], Is.EqualTo(60f));
            Assert.That(x.View(3, 2)[2, 1], Is.EqualTo(60f));
        });
        var ex = Assert.Throws<ArgumentException>(() => x.Reshape(4, -1));
        Assert.That(ex!.Message, Does.Contain("reshape").And.Contain("[6]").And.Contain("[4, -1]"));
        Assert.Throws<ArgumentException>(() => x.Reshape(5));
        Assert.Throws<ArgumentException>(() => x.Reshape(-1, -1));
    }

    [Test]
    public void SqueezeUnsqueezeAndTranspose()
    {
        Tensor column = Torch.FromArray([1f, 2f, 3f], 3, 1);
        Assert.Multiple(() =>
        {
            Assert.That(column.Squeeze(1).Shape.ToArray(), Is.EqualTo(new[] { 3 }));
            Assert.That(column.Squeeze(0).Shape.ToArray(), Is.EqualTo(new[] { 3, 1 }), "size 3 is not squeezed, as in PyTorch");
            Assert.That(column.Squeeze(-1).Unsqueeze(-1).Shape.ToArray(), Is.EqualTo(new[] { 3, 1 }));
            Assert.That(column.Squeeze(1).Unsqueeze(0).Shape.ToArray(), Is.EqualTo(new[] { 1, 3 }));
            Assert.That(Torch.FromRows([[1f, 2f, 3f], [4f, 5f, 6f]]).T().Data, Is.EqualTo(new[] { 1f, 4f, 2f, 5f, 3f, 6f }));
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => column.Unsqueeze(3));
        Assert.Throws<ArgumentException>(() => Torch.Zeros(3).T());
    }
}
