using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace TinyTorch.Tests.Nn;

public class MlpWorkspaceTests
{
    private static readonly int[][] Architectures = [[4, 2], [3, 5, 2], [4, 16, 16, 2], [7, 33, 17, 9, 3], [4, 128, 128, 2]];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (int[] sizes in Architectures)
            foreach (int batch in new[] { 1, 3, 33 })
                yield return new TestCaseData(sizes, batch).SetArgDisplayNames(string.Join("-", sizes), $"B={batch}");
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardAndBackwardMatchTheAutogradPath(int[] sizes, int batch)
    {
        var rng = new Rng((ulong)(sizes.Sum() * 100 + batch));
        Sequential net = Sequential.Mlp(rng, sizes);
        Tensor x = Torch.Randn(rng, batch, sizes[0]).RequiresGrad_();
        Tensor gradOutput = Torch.Randn(rng, batch, sizes[^1]);

        // autograd: graph forward, then backward from ∂L/∂output
        Tensor y = net.Forward(x);
        y.Backward(gradOutput);
        float[][] autogradGrads = net.Parameters().Select(p => p.Grad!.ToArray()).ToArray();
        net.ZeroGrad();

        // the layer-wise path on the same parameters
        var workspace = new MlpWorkspace(net);
        float[] output = workspace.Forward(x.Data).ToArray();
        var gradInput = new float[x.Count];
        workspace.Backward(gradOutput.Data, gradInput);

        Approx.AssertClose(output, y.Data, 1e-5, 1e-5, "output");
        Approx.AssertClose(gradInput, x.Grad!.Data, 1e-5, 1e-5, "dL/dinput");
        IReadOnlyList<Tensor> parameters = net.Parameters();
        for (int i = 0; i < parameters.Count; i++)
            Approx.AssertClose(parameters[i].Grad!.Data, autogradGrads[i], 1e-5, 1e-5, $"grad of {net.NamedParameters().ElementAt(i).Name}");
    }

    [TestCaseSource(nameof(Cases))]
    public void SingleObservationForwardMatchesEachRowOfTheBatch(int[] sizes, int batch)
    {
        var rng = new Rng((ulong)(sizes.Sum() + batch));
        Sequential net = Sequential.Mlp(rng, sizes);
        Tensor x = Torch.Randn(rng, batch, sizes[0]);
        var workspace = new MlpWorkspace(net);
        float[] batched = workspace.Forward(x.Data).ToArray();
        int outputs = sizes[^1];

        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> row = x.Data.AsSpan(r * sizes[0], sizes[0]);
            Approx.AssertClose(workspace.ForwardSingle(row), batched.AsSpan(r * outputs, outputs), 1e-5, 1e-5, $"row {r}");
            Assert.That(workspace.ForwardArgMax(row), Is.EqualTo(Array.IndexOf(batched, batched.Skip(r * outputs).Take(outputs).Max(), r * outputs) - r * outputs));
        }
    }

    private static IEnumerable<TestCaseData> NoGradCases()
    {
        foreach (int[] sizes in Architectures.Append([4, 120, 84, 2]).Append([5, 37, 33, 9]))
            foreach (int batch in new[] { 1, 3, 5, 33, 64 })
                yield return new TestCaseData(sizes, batch).SetArgDisplayNames(string.Join("-", sizes), $"B={batch}");
    }

    /// <summary>
    /// The feature-major forward against autograd's forward and against <see cref="MlpWorkspace.Forward"/>: to the bit
    /// for every hidden layer, so to the bit at the output when the last layer runs on the same tiles too (more than
    /// 4 outputs and rows; the 9-output case), within rounding otherwise. Batches below and above the tiles' 4 rows.
    /// </summary>
    [TestCaseSource(nameof(NoGradCases))]
    public void ForwardNoGradMatchesTheAutogradForward(int[] sizes, int batch)
    {
        var rng = new Rng((ulong)(sizes.Sum() * 7 + batch));
        Sequential net = Sequential.Mlp(rng, sizes);
        Tensor x = Torch.Randn(rng, batch, sizes[0]);
        var workspace = new MlpWorkspace(net);
        float[] noGrad = workspace.ForwardNoGrad(x.Data).ToArray();
        Approx.AssertClose(noGrad, net.Forward(x).Data, 1e-5, 1e-5, "output");
        float[] forward = workspace.Forward(x.Data).ToArray();
        if (sizes[^1] > 4 && batch > 4)
            Assert.That(noGrad, Is.EqualTo(forward), "same tiles, same bits");
        // a Backward needs the activations of a batch-major Forward: after ForwardNoGrad there are none
        workspace.ForwardNoGrad(x.Data);
        Assert.Throws<InvalidOperationException>(() => workspace.Backward(new float[batch * sizes[^1]]));
    }

    [Test]
    public void ForwardNoGradHandlesLayoutsBeyondThePlainMlp()
    {
        var rng = new Rng(5);
        // no hidden ReLU between two Linears, a bias-free layer, a doubled ReLU and a ReLU on the output
        var net = new Sequential(new Linear(5, 16, rng, bias: false), new Linear(16, 7, rng), new ReLU(), new ReLU(), new Linear(7, 9, rng), new ReLU());
        foreach (int batch in new[] { 2, 40 })
        {
            Tensor x = Torch.Randn(rng, batch, 5);
            Approx.AssertClose(new MlpWorkspace(net).ForwardNoGrad(x.Data).ToArray(), net.Forward(x).Data, 1e-5, 1e-5, $"B={batch}");
        }
    }

    [Test]
    public void HandlesLayoutsBeyondThePlainMlp()
    {
        var rng = new Rng(3);
        // no hidden ReLU between two Linears, a bias-free layer, a ReLU on the output and a doubled ReLU
        var net = new Sequential(new Linear(5, 6, rng, bias: false), new Linear(6, 7, rng), new ReLU(), new ReLU(), new Linear(7, 3, rng), new ReLU());
        Tensor x = Torch.Randn(rng, 4, 5).RequiresGrad_();
        Tensor gradOutput = Torch.Randn(rng, 4, 3);
        Tensor y = net.Forward(x);
        y.Backward(gradOutput);
        float[][] expected = net.Parameters().Select(p => p.Grad!.ToArray()).ToArray();
        net.ZeroGrad();

        var workspace = new MlpWorkspace(net);
        Approx.AssertClose(workspace.Forward(x.Data), y.Data, 1e-5, 1e-5, "output");
        var gradInput = new float[20];
        workspace.Backward(gradOutput.Data, gradInput);
        Approx.AssertClose(gradInput, x.Grad!.Data, 1e-5, 1e-5, "dL/dinput");
        for (int i = 0; i < expected.Length; i++)
            Approx.AssertClose(net.Parameters()[i].Grad!.Data, expected[i], 1e-5, 1e-5, $"parameter {i}");
        Approx.AssertClose(workspace.ForwardSingle(x.Data.AsSpan(0, 5)), y.Data.AsSpan(0, 3), 1e-5, 1e-5, "single");
    }

    [Test]
    public void BackwardAccumulatesIntoTheSameGradientTensorsAndSkipsFrozenParameters()
    {
        var rng = new Rng(4);
        Sequential net = Sequential.Mlp(rng, 3, [4], 2);
        var workspace = new MlpWorkspace(net);
        Tensor x = Torch.Randn(rng, 2, 3), g = Torch.Randn(rng, 2, 2);
        var first = (Linear)net[0];
        first.Bias!.RequiresGrad = false;

        workspace.Forward(x.Data);
        workspace.Backward(g.Data);
        Tensor grad = first.Weight.Grad!;
        float[] once = grad.ToArray();
        workspace.Forward(x.Data);
        workspace.Backward(g.Data);

        Assert.That(first.Weight.Grad, Is.SameAs(grad));
        Approx.AssertClose(grad.Data, once.Select(v => 2.0 * v).ToArray(), 1e-6, 1e-6, "accumulated");
        Assert.That(first.Bias.Grad, Is.Null);
    }

    [Test]
    public void GrowsForLargerBatchesAndKeepsWorkingForSmallerOnes()
    {
        var rng = new Rng(5);
        Sequential net = Sequential.Mlp(rng, 3, [8], 2);
        var workspace = new MlpWorkspace(net, batchCapacity: 2);
        Tensor big = Torch.Randn(rng, 10, 3);

        float[] bigOut = workspace.Forward(big.Data).ToArray();
        Assert.That(workspace.BatchCapacity, Is.GreaterThanOrEqualTo(10));
        Approx.AssertClose(bigOut, net.Forward(big).Data, 1e-5, 1e-5, "batch of 10");
        Approx.AssertClose(workspace.Forward(big.Data.AsSpan(0, 6)), net.Forward(big).Data.AsSpan(0, 4), 1e-5, 1e-5, "batch of 2");
    }

    [Test]
    public void ArgMaxTakesTheFirstOfTiesRowByRow()
    {
        Assert.That(MlpWorkspace.ArgMax([1f, 3f, 3f, -1f]), Is.EqualTo(1));
        var indices = new int[3];
        MlpWorkspace.ArgMax([0f, 1f, 5f, 2f, 2f, 2f, -1f, -3f, -2f], 3, indices);
        Assert.That(indices, Is.EqualTo(new[] { 2, 0, 0 }));
        Assert.That(() => MlpWorkspace.ArgMax([], 2, new int[1]), Throws.ArgumentException.With.Message.Contains("2 columns"));
    }

    /// <summary>
    /// A backward over the first B rows of a forward over 2B rows (one pass over [s; s′]) gives the gradients of a
    /// forward over those B rows alone: each row's arithmetic does not depend on the rows below it, so to the bit.
    /// </summary>
    [Test]
    public void BackwardThroughThePrefixOfALargerForwardEqualsItsOwnForward()
    {
        const int rows = 11, inputs = 4, outputs = 3;
        var rng = new Rng(21);
        Sequential alone = Sequential.Mlp(new Rng(8), inputs, [40, 24], outputs), stacked = Sequential.Mlp(new Rng(8), inputs, [40, 24], outputs);
        float[] input = Torch.Uniform(rng, -2f, 2f, 2 * rows * inputs).Data, gradOutput = Torch.Uniform(rng, -1f, 1f, rows * outputs).Data;
        float[] gradInputAlone = new float[rows * inputs], gradInputStacked = new float[rows * inputs];

        var one = new MlpWorkspace(alone);
        one.Forward(input.AsSpan(0, rows * inputs));
        one.Backward(gradOutput, gradInputAlone);
        var two = new MlpWorkspace(stacked);
        two.Forward(input);
        two.Backward(gradOutput, gradInputStacked);

        Assert.Multiple(() =>
        {
            Assert.That(gradInputStacked, Is.EqualTo(gradInputAlone));
            for (int p = 0; p < alone.Parameters().Count; p++)
                Assert.That(stacked.Parameters()[p].Grad!.Data, Is.EqualTo(alone.Parameters()[p].Grad!.Data), $"parameter {p}");
        });
    }

    /// <summary>Without accumulation the gradients left from before are overwritten: the same bits as zeroing them first.</summary>
    [Test]
    public void BackwardWithoutAccumulationOverwritesTheOldGradients()
    {
        const int rows = 9, inputs = 4, outputs = 2;
        var rng = new Rng(22);
        Sequential zeroed = Sequential.Mlp(new Rng(9), inputs, [33, 17], outputs), stale = Sequential.Mlp(new Rng(9), inputs, [33, 17], outputs);
        float[] input = Torch.Uniform(rng, -2f, 2f, rows * inputs).Data, gradOutput = Torch.Uniform(rng, -1f, 1f, rows * outputs).Data;
        foreach (Tensor p in stale.Parameters())
            p.Grad = Torch.Uniform(rng, -5f, 5f, p.Shape.ToArray());

        var first = new MlpWorkspace(zeroed);
        first.Forward(input);
        first.Backward(gradOutput);
        var second = new MlpWorkspace(stale);
        second.Forward(input);
        second.Backward(gradOutput, accumulate: false);

        Assert.Multiple(() =>
        {
            for (int p = 0; p < zeroed.Parameters().Count; p++)
                Assert.That(stale.Parameters()[p].Grad!.Data, Is.EqualTo(zeroed.Parameters()[p].Grad!.Data), $"parameter {p}");
        });
    }

    [Test]
    public void BadCallsAreRejectedWithTheSizesInvolved()
    {
        var rng = new Rng(6);
        Sequential net = Sequential.Mlp(rng, 4, [8], 2);
        var workspace = new MlpWorkspace(net);
        Assert.Multiple(() =>
        {
            Assert.That(() => workspace.Backward(new float[2]), Throws.InvalidOperationException.With.Message.Contains("Forward first"));
            Assert.That(() => workspace.Forward(new float[6]), Throws.ArgumentException.With.Message.Contains("6 floats").And.Message.Contains("4 features"));
            Assert.That(() => workspace.ForwardSingle(new float[3]), Throws.ArgumentException.With.Message.Contains("expected 4").And.Message.Contains("got 3"));
        });
        workspace.Forward(new float[8]);
        Assert.Multiple(() =>
        {
            Assert.That(() => workspace.Backward(new float[6]), Throws.ArgumentException.With.Message.Contains("6 floats").And.Message.Contains("1 ≤ B ≤ 2"));
            Assert.That(() => workspace.Backward(new float[3]), Throws.ArgumentException.With.Message.Contains("[B, 2]"));
            Assert.That(() => workspace.Backward(new float[4], new float[4]), Throws.ArgumentException.With.Message.Contains("[2, 4]"));
            Assert.That(() => new MlpWorkspace(new Sequential(new ReLU(), new Linear(2, 2, rng))), Throws.ArgumentException.With.Message.Contains("leading ReLU"));
            Assert.That(() => new MlpWorkspace(new Sequential(new Linear(2, 3, rng), new Linear(4, 2, rng))), Throws.ArgumentException.With.Message.Contains("outputs 3"));
            Assert.That(() => new MlpWorkspace(new Sequential(new Sequential(new Linear(2, 2, rng)))), Throws.ArgumentException.With.Message.Contains("module 0 is Sequential"));
        });
    }

    [Test]
    public void MatVecKernelsAgreeWithEachOther()
    {
        var rng = new Rng(7);
        // 21 rows: two blocks of eight and five single rows; widths with and without a scalar tail
        const int rows = 21;
        foreach (int n in new[] { 1, 4, 15, 16, 17, 40, 128 })
        {
            float[] w = Torch.Randn(rng, rows * n).Data, x = Torch.Randn(rng, n).Data;
            var expected = new double[rows];
            for (int j = 0; j < rows; j++)
                for (int i = 0; i < n; i++)
                    expected[j] += (double)w[j * n + i] * x[i];
            var y = new float[rows];
            MatVec.DotRowsScalar(w, x, y);
            Approx.AssertClose(y, expected, 1e-5, 1e-5, $"scalar, n={n}");
            MatVec.DotRowsPortable(w, x, y);
            Approx.AssertClose(y, expected, 1e-5, 1e-5, $"portable, n={n}");
            if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && n >= 16)
            {
                Array.Clear(y);
                MatVec.DotRows512(w, x, y);
                Approx.AssertClose(y, expected, 1e-5, 1e-5, $"512-bit, n={n}");
            }
        }
    }

    [Test]
    public void TrainingStepAllocatesNothingInSteadyState()
    {
        var rng = new Rng(8);
        Sequential net = Sequential.Mlp(rng, 4, [64, 64], 2);
        var workspace = new MlpWorkspace(net);
        var optimizer = new Adam(net.Parameters(), lr: 1e-3, amsgrad: true, weightDecay: 1e-4);
        float[] batch = Torch.Randn(rng, 32, 4).Data, gradOutput = Torch.Randn(rng, 32, 2).Data;
        float[] observation = Torch.Randn(rng, 4).Data;
        var gradInput = new float[batch.Length];
        var indices = new int[32];
        int sink = 0;

        void Step()
        {
            ReadOnlySpan<float> q = workspace.Forward(batch);
            MlpWorkspace.ArgMax(q, 2, indices);
            optimizer.ZeroGrad();
            workspace.Backward(gradOutput, gradInput);
            Utils.ClipGradNorm(net.Parameters(), 0.5);
            optimizer.Step();
            sink += workspace.ForwardArgMax(observation) + indices[0];
        }

        for (int i = 0; i < 200; i++)
            Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
            Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, $"bytes allocated over 200 steps (sink {sink})");
    }
}
