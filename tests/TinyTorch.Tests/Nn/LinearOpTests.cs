using TinyTorch;

namespace TinyTorch.Tests.Nn;

public class LinearOpTests
{
    private const int Batch = 3, In = 5, Out = 4;

    /// <summary>L = Σ_ij c_ij·y_ij with y = x·Wᵀ + b, all in double: the reference the op is checked against.</summary>
    private static double Loss(double[] x, double[] w, double[]? b, double[] c, int batch)
    {
        double loss = 0;
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < Out; j++)
            {
                double y = b?[j] ?? 0;
                for (int k = 0; k < In; k++)
                    y += x[i * In + k] * w[j * In + k];
                loss += c[i * Out + j] * y;
            }
        return loss;
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ForwardMatchesTheDefinition(bool withBias)
    {
        var rng = new Rng(1);
        Tensor x = Torch.Randn(rng, Batch, In), w = Torch.Randn(rng, Out, In), b = Torch.Randn(rng, Out);
        Tensor y = x.Linear(w, withBias ? b : null);

        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { Batch, Out }));
        var expected = new double[Batch * Out];
        for (int i = 0; i < Batch; i++)
            for (int j = 0; j < Out; j++)
            {
                double sum = withBias ? b.Data[j] : 0;
                for (int k = 0; k < In; k++)
                    sum += (double)x.Data[i * In + k] * w.Data[j * In + k];
                expected[i * Out + j] = sum;
            }
        Approx.AssertClose(y.Data, expected, 1e-5, 1e-5, "y");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void GradientsMatchCentralDifferences(bool withBias)
    {
        var rng = new Rng(2);
        Tensor x = Torch.Randn(rng, Batch, In).RequiresGrad_();
        Tensor w = Torch.Randn(rng, Out, In).RequiresGrad_();
        Tensor b = Torch.Randn(rng, Out).RequiresGrad_();
        Tensor c = Torch.Randn(rng, Batch, Out);

        Tensor y = x.Linear(w, withBias ? b : null);
        Assert.That(y.GradFn!.Name, Is.EqualTo(withBias ? "AddmmBackward" : "MmBackward"));
        y.Backward(c); // ∂L/∂y = c for L = Σ c·y

        double[] xd = FiniteDifference.ToDouble(x.Data), wd = FiniteDifference.ToDouble(w.Data);
        double[] bd = FiniteDifference.ToDouble(b.Data), cd = FiniteDifference.ToDouble(c.Data);
        double[]? bias = withBias ? bd : null;
        // L is linear in each argument, so the central difference is exact up to rounding.
        Approx.AssertClose(x.Grad!.Data, FiniteDifference.Gradient(v => Loss(v, wd, bias, cd, Batch), xd, 1e-3), 1e-5, 1e-5, "dL/dx");
        Approx.AssertClose(w.Grad!.Data, FiniteDifference.Gradient(v => Loss(xd, v, bias, cd, Batch), wd, 1e-3), 1e-5, 1e-5, "dL/dW");
        if (withBias)
            Approx.AssertClose(b.Grad!.Data, FiniteDifference.Gradient(v => Loss(xd, wd, v, cd, Batch), bd, 1e-3), 1e-5, 1e-5, "dL/db");
        else
            Assert.That(b.Grad, Is.Null);
    }

    [Test]
    public void OneDimensionalInputGivesOneDimensionalOutputAndTheSameGradients()
    {
        var rng = new Rng(3);
        Tensor x = Torch.Randn(rng, In).RequiresGrad_();
        Tensor w = Torch.Randn(rng, Out, In).RequiresGrad_();
        Tensor b = Torch.Randn(rng, Out).RequiresGrad_();
        Tensor c = Torch.Randn(rng, Out);

        Tensor y = x.Linear(w, b);
        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { Out }));
        y.Backward(c);

        double[] xd = FiniteDifference.ToDouble(x.Data), wd = FiniteDifference.ToDouble(w.Data);
        double[] bd = FiniteDifference.ToDouble(b.Data), cd = FiniteDifference.ToDouble(c.Data);
        Assert.That(x.Grad!.Shape.ToArray(), Is.EqualTo(new[] { In }));
        Approx.AssertClose(x.Grad.Data, FiniteDifference.Gradient(v => Loss(v, wd, bd, cd, 1), xd, 1e-3), 1e-5, 1e-5, "dL/dx");
        Approx.AssertClose(w.Grad!.Data, FiniteDifference.Gradient(v => Loss(xd, v, bd, cd, 1), wd, 1e-3), 1e-5, 1e-5, "dL/dW");
        Approx.AssertClose(b.Grad!.Data, cd, 1e-6, 0, "dL/db");
    }

    [Test]
    public void GradientsAccumulateAcrossBackwardCallsAndSkipInputsThatDoNotRequireGrad()
    {
        var rng = new Rng(4);
        Tensor x = Torch.Randn(rng, Batch, In);
        Tensor w = Torch.Randn(rng, Out, In).RequiresGrad_();
        Tensor b = Torch.Randn(rng, Out).RequiresGrad_();
        Tensor c = Torch.Randn(rng, Batch, Out);

        x.Linear(w, b).Backward(c);
        float[] once = w.Grad!.ToArray();
        x.Linear(w, b).Backward(c);

        Assert.That(x.Grad, Is.Null);
        var twice = new double[once.Length];
        for (int i = 0; i < once.Length; i++)
            twice[i] = 2.0 * once[i];
        Approx.AssertClose(w.Grad.Data, twice, 1e-6, 1e-6, "dL/dW after two backward passes");
    }

    [Test]
    public void NoGraphIsRecordedUnderNoGrad()
    {
        var rng = new Rng(5);
        Tensor w = Torch.Randn(rng, Out, In).RequiresGrad_();
        using (Torch.NoGrad())
            Assert.That(Torch.Randn(rng, Batch, In).Linear(w).RequiresGrad, Is.False);
    }

    [Test]
    public void ShapeErrorsNameBothShapes()
    {
        var rng = new Rng(6);
        Tensor w = Torch.Randn(rng, 3, 4);
        Assert.Multiple(() =>
        {
            Assert.That(() => Torch.Zeros(2, 5).Linear(w),
                Throws.ArgumentException.With.Message.Contains("[2, 5]").And.Message.Contains("[3, 4]"));
            Assert.That(() => Torch.Zeros(2, 2, 4).Linear(w),
                Throws.ArgumentException.With.Message.Contains("[2, 2, 4]").And.Message.Contains("[3, 4]"));
            Assert.That(() => Torch.Zeros(2, 4).Linear(w, Torch.Zeros(4)),
                Throws.ArgumentException.With.Message.Contains("[3, 4]").And.Message.Contains("[4]"));
            Assert.That(() => Torch.Zeros(4).Linear(Torch.Zeros(4)),
                Throws.ArgumentException.With.Message.Contains("[4]").And.Message.Contains("2-D"));
        });
    }
}
