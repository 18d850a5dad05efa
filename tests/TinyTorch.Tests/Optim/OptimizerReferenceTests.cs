using TinyTorch;
using TinyTorch.Optim;
using TinyTorch.Tests.Nn;

namespace TinyTorch.Tests.Optim;

/// <summary>Every optimizer configuration against <see cref="PyTorchReference"/> on a few steps of fixed gradients.</summary>
public class OptimizerReferenceTests
{
    private const int Steps = 6;

    // Gradient scales vary per step so that momentum, AMSGrad's maximum and centering all change the result.
    private static readonly float[] StepScales = [1f, 0.1f, 2f, 0.5f, 0.01f, 1.5f];

    public sealed record Case(string Name, Func<IEnumerable<Tensor>, Optimizer> Create, Func<double[], double[][], double[][]> Reference)
    {
        public override string ToString() => Name;
    }

    private static IEnumerable<Case> Cases() =>
    [
        new("SGD", p => new SGD(p, lr: 0.1), (t, g) => PyTorchReference.Sgd(t, g, 0.1)),
        new("SGD momentum", p => new SGD(p, lr: 0.1, momentum: 0.9), (t, g) => PyTorchReference.Sgd(t, g, 0.1, momentum: 0.9)),
        new("SGD dampening", p => new SGD(p, lr: 0.1, momentum: 0.9, dampening: 0.3), (t, g) => PyTorchReference.Sgd(t, g, 0.1, momentum: 0.9, dampening: 0.3)),
        new("SGD nesterov", p => new SGD(p, lr: 0.1, momentum: 0.9, nesterov: true), (t, g) => PyTorchReference.Sgd(t, g, 0.1, momentum: 0.9, nesterov: true)),
        new("SGD weight decay", p => new SGD(p, lr: 0.05, momentum: 0.8, weightDecay: 0.1), (t, g) => PyTorchReference.Sgd(t, g, 0.05, momentum: 0.8, weightDecay: 0.1)),
        new("Adam", p => new Adam(p, lr: 0.01), (t, g) => PyTorchReference.Adam(t, g, 0.01, 0.9, 0.999, 1e-8)),
        new("Adam betas eps", p => new Adam(p, lr: 0.02, beta1: 0.5, beta2: 0.9, eps: 1e-3), (t, g) => PyTorchReference.Adam(t, g, 0.02, 0.5, 0.9, 1e-3)),
        new("Adam weight decay", p => new Adam(p, lr: 0.01, weightDecay: 0.5), (t, g) => PyTorchReference.Adam(t, g, 0.01, 0.9, 0.999, 1e-8, weightDecay: 0.5)),
        new("Adam amsgrad", p => new Adam(p, lr: 0.05, beta2: 0.9, amsgrad: true), (t, g) => PyTorchReference.Adam(t, g, 0.05, 0.9, 0.9, 1e-8, amsgrad: true)),
        new("AdamW", p => new AdamW(p, lr: 0.01, weightDecay: 0.5), (t, g) => PyTorchReference.Adam(t, g, 0.01, 0.9, 0.999, 1e-8, weightDecay: 0.5, decoupled: true)),
        new("AdamW amsgrad", p => new AdamW(p, lr: 0.05, beta2: 0.9, amsgrad: true), (t, g) => PyTorchReference.Adam(t, g, 0.05, 0.9, 0.9, 1e-8, weightDecay: 0.01, amsgrad: true, decoupled: true)),
        new("RMSprop", p => new RMSprop(p), (t, g) => PyTorchReference.RmsProp(t, g, 0.01, 0.99, 1e-8)),
        new("RMSprop alpha eps", p => new RMSprop(p, lr: 0.005, alpha: 0.9, eps: 1e-4), (t, g) => PyTorchReference.RmsProp(t, g, 0.005, 0.9, 1e-4)),
        new("RMSprop centered", p => new RMSprop(p, centered: true), (t, g) => PyTorchReference.RmsProp(t, g, 0.01, 0.99, 1e-8, centered: true)),
        new("RMSprop momentum", p => new RMSprop(p, momentum: 0.9), (t, g) => PyTorchReference.RmsProp(t, g, 0.01, 0.99, 1e-8, momentum: 0.9)),
        new("RMSprop all", p => new RMSprop(p, lr: 0.01, weightDecay: 0.1, momentum: 0.5, centered: true), (t, g) => PyTorchReference.RmsProp(t, g, 0.01, 0.99, 1e-8, weightDecay: 0.1, momentum: 0.5, centered: true)),
    ];

    /// <summary>Two parameters of different shapes and, per step, a gradient for each.</summary>
    internal static (Tensor[] Parameters, float[][][] Grads) Problem(ulong seed)
    {
        var rng = new Rng(seed);
        Tensor[] parameters = [Torch.Randn(rng, 3, 4).RequiresGrad_(), Torch.Randn(rng, 5).RequiresGrad_()];
        var grads = new float[Steps][][];
        for (int t = 0; t < Steps; t++)
        {
            grads[t] = new float[parameters.Length][];
            for (int p = 0; p < parameters.Length; p++)
            {
                float[] g = Torch.Randn(rng, parameters[p].Count).Data;
                for (int i = 0; i < g.Length; i++)
                    g[i] *= StepScales[t];
                grads[t][p] = g;
            }
        }
        return (parameters, grads);
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTheDoublePrecisionReference(Case c)
    {
        var (parameters, grads) = Problem(11);
        double[][] theta0 = parameters.Select(p => FiniteDifference.ToDouble(p.Data)).ToArray();
        Optimizer optimizer = c.Create(parameters);

        for (int p = 0; p < parameters.Length; p++)
        {
            int index = p;
            double[][] expected = c.Reference(theta0[p], grads.Select(step => FiniteDifference.ToDouble(step[index])).ToArray());
            if (p == 0)
            {
                for (int t = 0; t < Steps; t++)
                {
                    for (int q = 0; q < parameters.Length; q++)
                        parameters[q].Grad = new Tensor((float[])grads[t][q].Clone(), parameters[q].Shape.ToArray());
                    optimizer.Step();
                    Approx.AssertClose(parameters[0].Data, expected[t], 2e-6, 1e-5, $"{c.Name}, parameter 0 after step {t + 1}");
                }
            }
            else
            {
                Approx.AssertClose(parameters[p].Data, expected[^1], 2e-6, 1e-5, $"{c.Name}, parameter {p} after {Steps} steps");
            }
        }
        Assert.That(optimizer.StepCount, Is.EqualTo(Steps));
    }

    [Test]
    public void TheVariantsUnderTestReallyDifferFromTheirPlainForms()
    {
        // Guards the cases above against being vacuous: each option changes the trajectory of these gradients.
        var (parameters, grads) = Problem(11);
        double[] theta = FiniteDifference.ToDouble(parameters[0].Data);
        double[][] g = grads.Select(step => FiniteDifference.ToDouble(step[0])).ToArray();
        // far beyond the 1e-5 tolerance of the comparison
        void Differ(double[][] variant, double[][] plain, string what) =>
            Assert.That(variant[^1].Zip(plain[^1], (a, b) => Math.Abs(a - b)).Max(), Is.GreaterThan(1e-3), what);
        Assert.Multiple(() =>
        {
            Differ(PyTorchReference.Adam(theta, g, 0.05, 0.9, 0.9, 1e-8, amsgrad: true), PyTorchReference.Adam(theta, g, 0.05, 0.9, 0.9, 1e-8), "amsgrad");
            Differ(PyTorchReference.RmsProp(theta, g, 0.01, 0.99, 1e-8, centered: true), PyTorchReference.RmsProp(theta, g, 0.01, 0.99, 1e-8), "centered");
            Differ(PyTorchReference.RmsProp(theta, g, 0.01, 0.99, 1e-8, momentum: 0.9), PyTorchReference.RmsProp(theta, g, 0.01, 0.99, 1e-8), "RMSprop momentum");
            Differ(PyTorchReference.Sgd(theta, g, 0.1, 0.9, nesterov: true), PyTorchReference.Sgd(theta, g, 0.1, 0.9), "nesterov");
            Differ(PyTorchReference.Sgd(theta, g, 0.1, 0.9, dampening: 0.3), PyTorchReference.Sgd(theta, g, 0.1, 0.9), "dampening");
            Differ(PyTorchReference.Adam(theta, g, 0.01, 0.9, 0.999, 1e-8, weightDecay: 0.5, decoupled: true),
                PyTorchReference.Adam(theta, g, 0.01, 0.9, 0.999, 1e-8, weightDecay: 0.5), "decoupled weight decay");
        });
    }
}
