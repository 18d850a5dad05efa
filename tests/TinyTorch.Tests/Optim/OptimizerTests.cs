using TinyTorch;
using TinyTorch.Optim;

namespace TinyTorch.Tests.Optim;

public class OptimizerTests
{
    /// <summary>Steps on f(θ) = ½θ², whose gradient is θ itself.</summary>
    private static float[] Quadratic(Optimizer optimizer, Tensor theta, int steps)
    {
        var trajectory = new float[steps];
        for (int t = 0; t < steps; t++)
        {
            theta.Grad = theta.Clone();
            optimizer.Step();
            trajectory[t] = theta.Data[0];
        }
        return trajectory;
    }

    [Test]
    public void SgdMomentumOnAQuadraticFollowsTheHandDerivedSteps()
    {
        // b₁ = g₁ = 1, θ₁ = 1 − 0.1 = 0.9; b₂ = 0.9·1 + 0.9 = 1.8, θ₂ = 0.9 − 0.18 = 0.72;
        // b₃ = 0.9·1.8 + 0.72 = 2.34, θ₃ = 0.72 − 0.234 = 0.486
        Tensor theta = Torch.Ones(1).RequiresGrad_();
        Assert.That(Quadratic(new SGD([theta], lr: 0.1, momentum: 0.9), theta, 3), Is.EqualTo(new[] { 0.9f, 0.72f, 0.486f }).Within(1e-6f));
    }

    [Test]
    public void SgdNesterovOnAQuadraticFollowsTheHandDerivedSteps()
    {
        // b₁ = 1, d = 1 + 0.9·1 = 1.9, θ₁ = 0.81; b₂ = 0.9 + 0.81 = 1.71, d = 0.81 + 1.539 = 2.349, θ₂ = 0.5751
        Tensor theta = Torch.Ones(1).RequiresGrad_();
        Assert.That(Quadratic(new SGD([theta], lr: 0.1, momentum: 0.9, nesterov: true), theta, 2), Is.EqualTo(new[] { 0.81f, 0.5751f }).Within(1e-6f));
    }

    [Test]
    public void PlainSgdOnAQuadraticShrinksGeometrically()
    {
        // θ ← θ − γ(θ + λθ) = θ(1 − γ(1 + λ)) = 0.7θ for γ = 0.2, λ = 0.5
        Tensor theta = Torch.Full(2f, 1).RequiresGrad_();
        Assert.That(Quadratic(new SGD([theta], lr: 0.2, weightDecay: 0.5), theta, 3), Is.EqualTo(new[] { 1.4f, 0.98f, 0.686f }).Within(1e-6f));
    }

    [Test]
    public void AdamStepsByLrTimesTheSignOfAConstantGradientWhenEpsIsZero()
    {
        // m̂ = g and v̂ = g² exactly for a constant gradient, so each step is γ·g/|g| whatever |g| is
        float[] g = [1e-3f, -1f, 250f, -7e-2f];
        Tensor theta = Torch.Zeros(4).RequiresGrad_();
        var adam = new Adam([theta], lr: 0.01, eps: 0);
        for (int t = 1; t <= 5; t++)
        {
            theta.Grad = Torch.FromArray(g);
            adam.Step();
            for (int i = 0; i < g.Length; i++)
                Assert.That(theta.Data[i], Is.EqualTo(-0.01 * t * Math.Sign(g[i])).Within(1e-6), $"element {i} after step {t}");
        }
    }

    [Test]
    public void AdamWWithZeroGradientsOnlyDecaysTheWeights()
    {
        // m = v = 0, so the Adam term is 0/(0 + ε) = 0 and θₜ = θ₀·(1 − γλ)ᵗ
        Tensor theta = Torch.FromArray([1f, -3f]).RequiresGrad_();
        var adamW = new AdamW([theta], lr: 0.1, weightDecay: 0.2);
        for (int t = 1; t <= 4; t++)
        {
            theta.Grad = Torch.Zeros(2);
            adamW.Step();
            Assert.That(theta.Data[0], Is.EqualTo(Math.Pow(0.98, t)).Within(1e-6));
            Assert.That(theta.Data[1], Is.EqualTo(-3 * Math.Pow(0.98, t)).Within(3e-6));
        }
    }

    [Test]
    public void RmspropFirstStepIsLrTimesSignOverSqrtOfOneMinusAlpha()
    {
        // v₁ = (1 − α)g², so g/√v₁ = sign(g)/√(1 − α)
        Tensor theta = Torch.Zeros(3).RequiresGrad_();
        theta.Grad = Torch.FromArray([0.02f, -5f, 300f]);
        new RMSprop([theta], lr: 0.01, alpha: 0.96, eps: 0).Step();
        Assert.That(theta.Data, Is.EqualTo(new[] { -0.05f, 0.05f, -0.05f }).Within(1e-7f));
    }

    [Test]
    public void ParametersWithoutAGradientAreSkipped()
    {
        Tensor a = Torch.Ones(2).RequiresGrad_(), b = Torch.Ones(2).RequiresGrad_();
        var adam = new Adam([a, b], lr: 0.1);
        a.Grad = Torch.Ones(2);
        adam.Step();
        Assert.That(a.Data, Is.All.EqualTo(0.9f).Within(1e-6f));
        Assert.That(b.Data, Is.All.EqualTo(1f));
        Assert.That(adam.StateDict().Tensors.Keys, Is.EqualTo(new[] { "0.exp_avg", "0.exp_avg_sq" }));
    }

    [Test]
    public void ZeroGradZeroesInPlaceOrDrops()
    {
        Tensor a = Torch.Ones(2).RequiresGrad_();
        var sgd = new SGD([a], lr: 0.1);
        Tensor grad = a.Grad = Torch.Ones(2);
        sgd.ZeroGrad();
        Assert.That(a.Grad, Is.SameAs(grad));
        Assert.That(grad.Data, Is.All.EqualTo(0f));
        sgd.ZeroGrad(setToNone: true);
        Assert.That(a.Grad, Is.Null);
    }

    private static IEnumerable<TestCaseData> StatefulOptimizers()
    {
        yield return new TestCaseData((Func<IEnumerable<Tensor>, Optimizer>)(p => new SGD(p, lr: 0.1, momentum: 0.9)), new[] { "momentum_buffer" }).SetArgDisplayNames("SGD");
        yield return new TestCaseData((Func<IEnumerable<Tensor>, Optimizer>)(p => new Adam(p, lr: 0.05, amsgrad: true)), new[] { "exp_avg", "exp_avg_sq", "max_exp_avg_sq" }).SetArgDisplayNames("Adam");
        yield return new TestCaseData((Func<IEnumerable<Tensor>, Optimizer>)(p => new AdamW(p, lr: 0.05)), new[] { "exp_avg", "exp_avg_sq" }).SetArgDisplayNames("AdamW");
        yield return new TestCaseData((Func<IEnumerable<Tensor>, Optimizer>)(p => new RMSprop(p, momentum: 0.5, centered: true)), new[] { "square_avg", "momentum_buffer", "grad_avg" }).SetArgDisplayNames("RMSprop");
    }

    private static void SetGrads(Tensor[] parameters, float[][] grads)
    {
        for (int p = 0; p < parameters.Length; p++)
            parameters[p].Grad = new Tensor((float[])grads[p].Clone(), parameters[p].Shape.ToArray());
    }

    [TestCaseSource(nameof(StatefulOptimizers))]
    public void StateDictRoundTripResumesExactly(Func<IEnumerable<Tensor>, Optimizer> create, string[] buffers)
    {
        var (parameters, grads) = OptimizerReferenceTests.Problem(21);
        Optimizer original = create(parameters);
        for (int t = 0; t < 3; t++)
        {
            SetGrads(parameters, grads[t]);
            original.Step();
        }

        // a checkpoint: copies of the parameters and of the optimizer state, as a file would hold them
        OptimizerState saved = original.StateDict();
        Assert.That(saved.Step, Is.EqualTo(3));
        Assert.That(saved.Tensors.Keys, Is.EqualTo(Enumerable.Range(0, 2).SelectMany(i => buffers.Select(b => $"{i}.{b}"))));
        var checkpoint = new OptimizerState(saved.Step, saved.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()));
        Tensor[] resumedParameters = parameters.Select(p => p.Clone().RequiresGrad_()).ToArray();
        Tensor[] freshParameters = parameters.Select(p => p.Clone().RequiresGrad_()).ToArray();
        Optimizer resumed = create(resumedParameters);
        resumed.LoadStateDict(checkpoint);
        Optimizer fresh = create(freshParameters);

        for (int t = 3; t < 6; t++)
        {
            SetGrads(parameters, grads[t]);
            original.Step();
            SetGrads(resumedParameters, grads[t]);
            resumed.Step();
            SetGrads(freshParameters, grads[t]);
            fresh.Step();
        }
        for (int p = 0; p < parameters.Length; p++)
        {
            Assert.That(resumedParameters[p].Data, Is.EqualTo(parameters[p].Data), $"parameter {p} resumed bit for bit");
            Assert.That(freshParameters[p].Data, Is.Not.EqualTo(parameters[p].Data), "without the state the run differs");
        }
        Assert.That(resumed.StepCount, Is.EqualTo(6));
    }

    [Test]
    public void LoadingABadStateNamesTheProblemAndChangesNothing()
    {
        Tensor a = Torch.Ones(2, 3).RequiresGrad_(), b = Torch.Ones(4).RequiresGrad_();
        var adam = new Adam([a, b]);
        OptimizerState Bad(params (string Key, int[] Shape)[] entries) =>
            new(1, entries.ToDictionary(e => e.Key, e => Torch.Zeros(e.Shape)));
        Assert.Multiple(() =>
        {
            Assert.That(() => adam.LoadStateDict(Bad(("0.momentum_buffer", [2, 3]))), Throws.ArgumentException.With.Message.Contains("'0.momentum_buffer'").And.Message.Contains("'exp_avg'"));
            Assert.That(() => adam.LoadStateDict(Bad(("2.exp_avg", [4]))), Throws.ArgumentException.With.Message.Contains("'2.exp_avg'"));
            Assert.That(() => adam.LoadStateDict(Bad(("1.exp_avg", [2, 3]), ("1.exp_avg_sq", [4]))),
                Throws.ArgumentException.With.Message.Contains("'1.exp_avg'").And.Message.Contains("[2, 3]").And.Message.Contains("[4]"));
            Assert.That(() => adam.LoadStateDict(Bad(("0.exp_avg", [2, 3]))), Throws.ArgumentException.With.Message.Contains("'0.exp_avg_sq'"));
            Assert.That(() => adam.LoadStateDict(new OptimizerState(-1, new Dictionary<string, Tensor>())), Throws.ArgumentException.With.Message.Contains("-1"));
        });
        Assert.That(adam.StepCount, Is.Zero);
        Assert.That(adam.StateDict().Tensors, Is.Empty);
    }

    [Test]
    public void BadHyperparametersAreRejectedNamingTheValue()
    {
        Tensor[] p = [Torch.Ones(2).RequiresGrad_()];
        Assert.Multiple(() =>
        {
            Assert.That(() => new SGD(p, lr: -0.1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("learning rate: -0.1"));
            Assert.That(() => new Adam(p, lr: double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("learning rate: NaN"));
            Assert.That(() => new SGD(p, lr: 0.1, momentum: -0.5), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("-0.5"));
            Assert.That(() => new SGD(p, lr: 0.1, weightDecay: -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("weight_decay value: -1"));
            Assert.That(() => new SGD(p, lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true), Throws.ArgumentException.With.Message.Contains("dampening 0.1"));
            Assert.That(() => new SGD(p, lr: 0.1, nesterov: true), Throws.ArgumentException.With.Message.Contains("momentum 0"));
            Assert.That(() => new Adam(p, beta1: 1.0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("index 0: 1"));
            Assert.That(() => new Adam(p, beta2: -0.1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("index 1: -0.1"));
            Assert.That(() => new AdamW(p, eps: -1e-8), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("epsilon value: -1E-08"));
            Assert.That(() => new RMSprop(p, alpha: -0.9), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("alpha value: -0.9"));
            Assert.That(() => new Adam(p).Lr = -3, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("-3"));
            Assert.That(() => new Adam([]), Throws.ArgumentException.With.Message.Contains("empty parameter list"));
            Assert.That(() => new Adam([p[0], p[0]]), Throws.ArgumentException.With.Message.Contains("more than once"));
            Assert.That(() => new Adam([p[0].Relu()]), Throws.ArgumentException.With.Message.Contains("ReluBackward"));
        });
    }

    [TestCaseSource(nameof(StatefulOptimizers))]
    public void StepAllocatesNothingInSteadyState(Func<IEnumerable<Tensor>, Optimizer> create, string[] buffers)
    {
        var (parameters, grads) = OptimizerReferenceTests.Problem(31);
        SetGrads(parameters, grads[0]);
        Optimizer optimizer = create(parameters);
        for (int t = 0; t < 50; t++)
            optimizer.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 100; t++)
            optimizer.Step();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, $"bytes allocated by 100 steps keeping {buffers.Length} buffers");
    }
}
