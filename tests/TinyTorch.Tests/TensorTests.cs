namespace TinyTorch.Tests;

/// <summary>
/// Printing. The expected strings follow PyTorch's default print options (precision 4, line width 80,
/// summarised above 1000 elements with 3 edge items) and are what PyTorch prints for the same values.
/// </summary>
public class TensorTests
{
    [Test]
    public void IntegerValuedTensorsPrintWithATrailingDot() =>
        Assert.That(Torch.FromRows([[1f, 2f], [3f, 4f]]).RequiresGrad_().ToString(),
            Is.EqualTo("tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)"));

    [Test]
    public void ElementsArePaddedToTheWidestOne()
    {
        Assert.That(Torch.FromArray([-1.5f, 2f]).ToString(), Is.EqualTo("tensor([-1.5000,  2.0000])"));
        Assert.That(Torch.FromRows([[1.5f, -2.25f], [10.125f, 0.5f]]).ToString(),
            Is.EqualTo("tensor([[ 1.5000, -2.2500],\n        [10.1250,  0.5000]])"));
    }

    [Test]
    public void ZeroDimAndAllZeroTensors()
    {
        Assert.That(Torch.Scalar(3.5f).ToString(), Is.EqualTo("tensor(3.5000)"));
        Assert.That(Torch.Scalar(2f).ToString(), Is.EqualTo("tensor(2.)"));
        Assert.That(Torch.Zeros(3).ToString(), Is.EqualTo("tensor([0., 0., 0.])"));
    }

    [Test]
    public void WideRangesSwitchToScientificNotation()
    {
        Assert.That(Torch.FromArray([1e-5f, 1f]).ToString(), Is.EqualTo("tensor([1.0000e-05, 1.0000e+00])"));
        Assert.That(Torch.FromArray([1f, 5000f]).ToString(), Is.EqualTo("tensor([1.0000e+00, 5.0000e+03])"));
    }

    [Test]
    public void NonFiniteValuesPrintAsPythonDoes() =>
        Assert.That(Torch.FromArray([float.PositiveInfinity, 1.5f, float.NaN]).ToString(),
            Is.EqualTo("tensor([   inf, 1.5000,    nan])"));

    [Test]
    public void LongRowsWrapAtEightyColumns()
    {
        Tensor x = Torch.Zeros(20);
        for (int i = 0; i < 20; i++) x.Data[i] = i;
        Assert.That(x.ToString(), Is.EqualTo(
            "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n" +
            "        14., 15., 16., 17., 18., 19.])"));
    }

    [Test]
    public void MoreThanAThousandElementsAreSummarised()
    {
        Tensor x = Torch.Zeros(2000);
        for (int i = 0; i < 2000; i++) x.Data[i] = i;
        Assert.That(x.ToString(), Is.EqualTo(
            "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n" +
            "        1.9990e+03])"));
        Assert.That(Torch.Zeros(100, 100).ToString(), Is.EqualTo(
            "tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n" +
            "        [0., 0., 0.,  ..., 0., 0., 0.],\n" +
            "        [0., 0., 0.,  ..., 0., 0., 0.],\n" +
            "        ...,\n" +
            "        [0., 0., 0.,  ..., 0., 0., 0.],\n" +
            "        [0., 0., 0.,  ..., 0., 0., 0.],\n" +
            "        [0., 0., 0.,  ..., 0., 0., 0.]])"));
    }

    [Test]
    public void ThreeDimensionalTensorsSeparateMatricesByABlankLine() =>
        Assert.That(Torch.Zeros(2, 1, 2).ToString(), Is.EqualTo("tensor([[[0., 0.]],\n\n        [[0., 0.]]])"));

    [Test]
    public void EmptyTensors()
    {
        Assert.That(Torch.Zeros(0).ToString(), Is.EqualTo("tensor([])"));
        Assert.That(Torch.Zeros(0, 3).ToString(), Is.EqualTo("tensor([], size=(0, 3))"));
    }

    /// <summary>Op names are PyTorch's without its numeric overload suffix (PyTorch prints <c>SumBackward0</c>).</summary>
    [Test]
    public void TheOpThatMadeATensorIsShown()
    {
        Tensor x = Torch.FromArray([1f, 1.5f]).RequiresGrad_();
        Assert.Multiple(() =>
        {
            Assert.That((x * 2f).Sum().ToString(), Is.EqualTo("tensor(5., grad_fn=<SumBackward>)"));
            Assert.That((x + 1f).ToString(), Is.EqualTo("tensor([2.0000, 2.5000], grad_fn=<AddBackward>)"));
            Assert.That(x.Detach().ToString(), Is.EqualTo("tensor([1.0000, 1.5000])"));
        });
    }
}
