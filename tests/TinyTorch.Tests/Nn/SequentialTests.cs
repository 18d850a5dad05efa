using TinyTorch;
using TinyTorch.Nn;

namespace TinyTorch.Tests.Nn;

public class SequentialTests
{
    [Test]
    public void MlpStateDictHasPyTorchKeysAndShapes()
    {
        Sequential net = Sequential.Mlp(new Rng(1), 4, [8, 6], 2);
        var state = net.StateDict();
        Assert.That(state.Keys, Is.EqualTo(new[] { "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias" }));
        int[][] shapes = [[8, 4], [8], [6, 8], [6], [2, 6], [2]];
        int k = 0;
        foreach (var (_, tensor) in state)
            Assert.That(tensor.Shape.ToArray(), Is.EqualTo(shapes[k++]));
        Assert.That(net.Count, Is.EqualTo(5));
        Assert.That(net[1], Is.InstanceOf<ReLU>());
        Assert.That(net[4], Is.InstanceOf<Linear>());
    }

    [Test]
    public void KeysFollowTheModuleIndexWhateverTheLayout()
    {
        var rng = new Rng(1);
        var net = new Sequential(new ReLU(), new Linear(3, 2, rng), new ReLU(), new ReLU(), new Linear(2, 1, rng, bias: false));
        Assert.That(net.StateDict().Keys, Is.EqualTo(new[] { "1.weight", "1.bias", "4.weight" }));
        Assert.That(net.ToString(), Is.EqualTo(
            "Sequential(\n  (0): ReLU()\n  (1): Linear(in_features=3, out_features=2, bias=True)\n  (2): ReLU()\n  (3): ReLU()\n" +
            "  (4): Linear(in_features=2, out_features=1, bias=False)\n)"));
    }

    [Test]
    public void StateDictSharesStorageAndParametersAreCachedInOrder()
    {
        Sequential net = Sequential.Mlp(new Rng(2), 3, [4], 2);
        var state = net.StateDict();
        var linear = (Linear)net[0];
        linear.Weight.Data[0] = 42f;
        Assert.That(state["0.weight"].Data[0], Is.EqualTo(42f));
        Assert.That(state["0.weight"].RequiresGrad, Is.False, "state-dict values are detached");
        IReadOnlyList<Tensor> first = net.Parameters();
        Assert.That(net.Parameters(), Is.SameAs(first), "cached: no allocation per call");
        Assert.That(net.Parameters(), Is.EqualTo(new[] { linear.Weight, linear.Bias, ((Linear)net[2]).Weight, ((Linear)net[2]).Bias }));
    }

    [Test]
    public void LoadStateDictCopiesValuesInPlace()
    {
        Sequential a = Sequential.Mlp(new Rng(3), 4, [5], 2);
        Sequential b = Sequential.Mlp(new Rng(4), 4, [5], 2);
        Tensor x = Torch.Randn(new Rng(5), 3, 4);
        Tensor weightBefore = ((Linear)b[0]).Weight;
        Assert.That(b.Forward(x).Data, Is.Not.EqualTo(a.Forward(x).Data));

        StateDictLoadResult result = b.LoadStateDict(a.StateDict());

        Assert.That(((Linear)b[0]).Weight, Is.SameAs(weightBefore));
        Assert.That(b.Forward(x).Data, Is.EqualTo(a.Forward(x).Data));
        Assert.That(result.MissingKeys, Is.Empty);
        Assert.That(result.UnexpectedKeys, Is.Empty);
    }

    [Test]
    public void StrictLoadNamesMissingUnexpectedAndMismatchedKeysAndChangesNothing()
    {
        Sequential net = Sequential.Mlp(new Rng(6), 4, [5], 2);
        float[] before = ((Linear)net[0]).Weight.ToArray();

        var missing = new Dictionary<string, Tensor>(net.StateDict().Select(kv => KeyValuePair.Create(kv.Key, Torch.Zeros(kv.Value.Shape.ToArray()))));
        missing.Remove("2.bias");
        Assert.That(() => net.LoadStateDict(missing), Throws.ArgumentException.With.Message.Contains("missing key(s) '2.bias'"));

        var unexpected = new Dictionary<string, Tensor>(net.StateDict()) { ["4.weight"] = Torch.Zeros(1, 2) };
        Assert.That(() => net.LoadStateDict(unexpected), Throws.ArgumentException.With.Message.Contains("unexpected key(s) '4.weight'"));

        var wrongShape = new Dictionary<string, Tensor>(net.StateDict()) { ["0.weight"] = Torch.Zeros(6, 4) };
        Assert.That(() => net.LoadStateDict(wrongShape), Throws.ArgumentException
            .With.Message.Contains("'0.weight'").And.Message.Contains("[6, 4]").And.Message.Contains("[5, 4]"));

        Assert.That(((Linear)net[0]).Weight.Data, Is.EqualTo(before), "a failed load must leave the module unchanged");
    }

    [Test]
    public void NonStrictLoadReportsWhatItSkippedAndStillRejectsShapeMismatches()
    {
        Sequential net = Sequential.Mlp(new Rng(7), 4, [5], 2);
        var partial = new Dictionary<string, Tensor> { ["0.weight"] = Torch.Ones(5, 4), ["extra"] = Torch.Zeros(1) };

        StateDictLoadResult result = net.LoadStateDict(partial, strict: false);

        Assert.That(((Linear)net[0]).Weight.Data, Is.All.EqualTo(1f));
        Assert.That(result.MissingKeys, Is.EqualTo(new[] { "0.bias", "2.weight", "2.bias" }));
        Assert.That(result.UnexpectedKeys, Is.EqualTo(new[] { "extra" }));
        Assert.That(() => net.LoadStateDict(new Dictionary<string, Tensor> { ["2.bias"] = Torch.Zeros(3) }, strict: false),
            Throws.ArgumentException.With.Message.Contains("'2.bias'").And.Message.Contains("[3]").And.Message.Contains("[2]"));
    }

    [Test]
    public void MlpSizesAreInferredFromAStateDictInAnyKeyOrder()
    {
        Sequential net = Sequential.Mlp(new Rng(8), [3, 7, 5, 6, 2]);
        var shuffled = net.StateDict().Reverse().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That(Sequential.InferMlpSizes(shuffled), Is.EqualTo(new[] { 3, 7, 5, 6, 2 }));

        Sequential copy = Sequential.MlpFromStateDict(shuffled);
        Tensor x = Torch.Randn(new Rng(9), 2, 3);
        Assert.That(copy.Forward(x).Data, Is.EqualTo(net.Forward(x).Data));
        Assert.That(Sequential.InferMlpSizes(Sequential.Mlp(new Rng(1), 4, [], 2).StateDict()), Is.EqualTo(new[] { 4, 2 }));
    }

    private static Dictionary<string, Tensor> Dict(params (string Key, int[] Shape)[] entries) =>
        entries.ToDictionary(e => e.Key, e => Torch.Zeros(e.Shape));

    [Test]
    public void StateDictsThatAreNotMlpsAreRejectedNamingTheProblem()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Sequential.InferMlpSizes(Dict()), Throws.ArgumentException.With.Message.Contains("empty"));
            Assert.That(() => Sequential.InferMlpSizes(Dict(("encoder.weight", [2, 4]))),
                Throws.ArgumentException.With.Message.Contains("'encoder.weight'"));
            Assert.That(() => Sequential.InferMlpSizes(Dict(("0.running_mean", [4]))),
                Throws.ArgumentException.With.Message.Contains("'0.running_mean'"));
            Assert.That(() => Sequential.InferMlpSizes(Dict(("00.weight", [2, 4]), ("00.bias", [2]))),
                Throws.ArgumentException.With.Message.Contains("'00.weight'"));
            Assert.That(() => Sequential.InferMlpSizes(Dict(("0.weight", [8, 4]), ("0.bias", [8]), ("1.weight", [2, 8]), ("1.bias", [2]))),
                Throws.ArgumentException.With.Message.Contains("'1.weight'").And.Message.Contains("odd index"));
            Assert.That(() => Sequential.InferMlpSizes(Dict(("0.weight", [8, 4]))),
                Throws.ArgumentException.With.Message.Contains("'0.bias'"));
            Assert.That(() => Sequential.InferMlpSizes(Dict(("0.weight", [8, 4]), ("0.bias", [8]), ("4.weight", [2, 8]), ("4.bias", [2]))),
                Throws.ArgumentException.With.Message.Contains("'2.weight'"));
            Assert.That(() => Sequential.InferMlpSizes(Dict(("0.weight", [8, 4]), ("0.bias", [8]), ("2.weight", [2, 7]), ("2.bias", [2]))),
                Throws.ArgumentException.With.Message.Contains("'2.weight'").And.Message.Contains("[2, 7]").And.Message.Contains("outputs 8"));
            Assert.That(() => Sequential.InferMlpSizes(Dict(("0.weight", [8, 4]), ("0.bias", [7]))),
                Throws.ArgumentException.With.Message.Contains("'0.bias'").And.Message.Contains("[7]").And.Message.Contains("[8, 4]"));
            Assert.That(() => Sequential.InferMlpSizes(Dict(("0.weight", [32]), ("0.bias", [32]))),
                Throws.ArgumentException.With.Message.Contains("'0.weight'").And.Message.Contains("[32]"));
        });
    }

    [Test]
    public void BadMlpSizesAreRejected()
    {
        Assert.That(() => Sequential.Mlp(new Rng(1), [4]), Throws.ArgumentException.With.Message.Contains("[4]"));
        Assert.That(() => Sequential.Mlp(new Rng(1), 4, [0], 2), Throws.ArgumentException.With.Message.Contains("[4, 0, 2]"));
    }

    [Test]
    public void ZeroGradZeroesInPlaceOrDropsTheGradients()
    {
        Sequential net = Sequential.Mlp(new Rng(10), 3, [4], 2);
        net.Forward(Torch.Randn(new Rng(11), 5, 3)).Backward(Torch.Ones(5, 2));
        Tensor grad = ((Linear)net[0]).Weight.Grad!;
        Assert.That(grad.Data.Any(v => v != 0), Is.True);

        net.ZeroGrad();
        Assert.That(((Linear)net[0]).Weight.Grad, Is.SameAs(grad));
        Assert.That(grad.Data, Is.All.EqualTo(0f));

        net.ZeroGrad(setToNone: true);
        Assert.That(net.Parameters().All(p => p.Grad is null), Is.True);
    }

    /// <summary>The loss Σ c·MLP(x) for a ReLU MLP in double precision, the weights as flat [out, in] arrays.</summary>
    private static double MlpLoss(int[] sizes, double[][] weights, double[][] biases, double[] x, double[] c, int batch)
    {
        double loss = 0;
        for (int r = 0; r < batch; r++)
        {
            double[] a = x.Skip(r * sizes[0]).Take(sizes[0]).ToArray();
            for (int l = 0; l < weights.Length; l++)
            {
                var z = new double[sizes[l + 1]];
                for (int j = 0; j < z.Length; j++)
                {
                    z[j] = biases[l][j];
                    for (int i = 0; i < a.Length; i++)
                        z[j] += weights[l][j * a.Length + i] * a[i];
                    if (l < weights.Length - 1)
                        z[j] = Math.Max(z[j], 0);
                }
                a = z;
            }
            for (int j = 0; j < a.Length; j++)
                loss += c[r * a.Length + j] * a[j];
        }
        return loss;
    }

    [Test]
    public void MlpGradientsMatchCentralDifferences()
    {
        int[] sizes = [3, 6, 5, 2];
        const int batch = 4;
        var rng = new Rng(12);
        Sequential net = Sequential.Mlp(rng, sizes);
        Tensor x = Torch.Randn(rng, batch, 3).RequiresGrad_();
        Tensor c = Torch.Randn(rng, batch, 2);
        net.Forward(x).Backward(c);

        var linears = net.OfType<Linear>().ToArray();
        double[][] w = linears.Select(l => FiniteDifference.ToDouble(l.Weight.Data)).ToArray();
        double[][] b = linears.Select(l => FiniteDifference.ToDouble(l.Bias!.Data)).ToArray();
        double[] xd = FiniteDifference.ToDouble(x.Data), cd = FiniteDifference.ToDouble(c.Data);
        // h small enough that no ReLU input crosses zero (a kink) between x − h and x + h
        const double h = 1e-6;

        Approx.AssertClose(x.Grad!.Data, FiniteDifference.Gradient(v => MlpLoss(sizes, w, b, v, cd, batch), xd, h), 1e-5, 1e-4, "dL/dx");
        for (int l = 0; l < linears.Length; l++)
        {
            int layer = l;
            Approx.AssertClose(linears[l].Weight.Grad!.Data, FiniteDifference.Gradient(v =>
            {
                double[][] wl = (double[][])w.Clone();
                wl[layer] = v;
                return MlpLoss(sizes, wl, b, xd, cd, batch);
            }, w[l], h), 1e-5, 1e-4, $"dL/dW{l}");
            Approx.AssertClose(linears[l].Bias!.Grad!.Data, FiniteDifference.Gradient(v =>
            {
                double[][] bl = (double[][])b.Clone();
                bl[layer] = v;
                return MlpLoss(sizes, w, bl, xd, cd, batch);
            }, b[l], h), 1e-5, 1e-4, $"dL/db{l}");
        }
    }
}
