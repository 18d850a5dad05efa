using Training.Config;
using Dqn.Update;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace Dqn.Tests.Update;

/// <summary>
/// <see cref="FastQUpdate"/>'s gradient (dueling head, importance-sampling weights, a discount per transition) against
/// finite differences of a double-precision loss, on small and on wide odd shapes; zero allocation per update; clear
/// errors on bad input. Its agreement with <see cref="QUpdate"/> on the whole feature matrix is in
/// <see cref="FastAgreesWithTeachingTests"/>.
/// </summary>
public class FastQUpdateTests
{
    [TestCase(LossKind.Huber, true)]
    [TestCase(LossKind.Mse, false)]
    public void GradientMatchesFiniteDifferencesOfTheLoss(LossKind lossKind, bool dueling)
    {
        const int b = 6, d = 3, n = 3;
        var rng = new Rng(2024);
        int outputs = dueling ? n + 1 : n;
        var online = Sequential.Mlp(rng, [d, 5, outputs]);
        var target = Sequential.Mlp(rng, [d, 5, outputs]);
        float[] obs = Torch.Randn(rng, b * d).Data, nextObs = Torch.Randn(rng, b * d).Data;
        float[] rewards = Torch.Uniform(rng, -2f, 2f, b).Data, weights = Torch.Uniform(rng, 0.2f, 1f, b).Data;
        float[] dones = [0, 1, 0, 0, 1, 0], discounts = [0.9f, 0.81f, 0.729f, 0.9f, 0.81f, 0.9f];
        int[] actions = [0, 2, 1, 1, 0, 2];
        var config = new QUpdateConfig { Gamma = 0.9, Loss = lossKind, HuberBeta = 0.5, DoubleDqn = true };

        // L(θ) in double precision, with y held fixed at its value for the starting θ (no gradient flows into y)
        var onlineDouble = new DoubleMlp(online);
        var targetDouble = new DoubleMlp(target);
        var y = new double[b];
        for (int i = 0; i < b; i++)
        {
            double[] nextQTarget = DoubleQUpdate.QValues(targetDouble.Forward(nextObs.AsSpan(i * d, d)), dueling);
            double[] nextQOnline = DoubleQUpdate.QValues(onlineDouble.Forward(nextObs.AsSpan(i * d, d)), dueling);
            int best = Array.IndexOf(nextQOnline, nextQOnline.Max());
            y[i] = rewards[i] + discounts[i] * (1 - dones[i]) * nextQTarget[best];
        }
        double Loss()
        {
            double sum = 0;
            for (int i = 0; i < b; i++)
            {
                double delta = DoubleQUpdate.QValues(onlineDouble.Forward(obs.AsSpan(i * d, d)), dueling)[actions[i]] - y[i];
                double ell = lossKind == LossKind.Mse ? delta * delta
                    : Math.Abs(delta) < 0.5 ? 0.5 * delta * delta / 0.5 : Math.Abs(delta) - 0.25;
                sum += weights[i] * ell;
            }
            return sum / b;
        }

        var recorder = new GradientRecorder(online.Parameters());
        var update = new FastQUpdate(online, target, recorder, config, dueling);
        var tdErrors = new float[b];
        float loss = update.Step(obs, actions, rewards, nextObs, dones, discounts, weights, tdErrors);
        Assert.That(loss, Is.EqualTo(Loss()).Within(1e-5 * Loss()));
        if (lossKind == LossKind.Huber)
        {
            Assert.That(tdErrors.Count(e => e < 0.5f), Is.GreaterThan(0), "some TD errors in Huber's quadratic zone");
            Assert.That(tdErrors.Count(e => e > 0.5f), Is.GreaterThan(0), "some TD errors in Huber's linear zone");
        }

        const double h = 1e-6;
        for (int t = 0; t < onlineDouble.Parameters.Length; t++)
        {
            double[] theta = onlineDouble.Parameters[t];
            for (int j = 0; j < theta.Length; j++)
            {
                double saved = theta[j];
                theta[j] = saved + h;
                double plus = Loss();
                theta[j] = saved - h;
                double minus = Loss();
                theta[j] = saved;
                double numeric = (plus - minus) / (2 * h);
                Assert.That(recorder.Gradients[t][j], Is.EqualTo(numeric).Within(1e-6 + 1e-4 * Math.Abs(numeric)), $"∂L/∂θ of parameter {t}, element {j}");
            }
        }
    }

    /// <summary>
    /// The widest shapes of the hidden cases (width 130, batch 129, odd sizes everywhere), where the matrix kernels take
    /// their tail paths: the gradient of a sample of weights and biases from every layer against finite differences of
    /// a double-precision loss, so the kernels are checked independently of the autograd path the other tests compare with.
    /// </summary>
    [TestCase(11, new[] { 7, 130, 33, 5 })]
    [TestCase(12, new[] { 3, 17, 130, 1, 2 })]
    public void GradientOnWideOddShapesMatchesFiniteDifferences(int seed, int[] sizes)
    {
        const int b = 129;
        var rng = new Rng((ulong)seed);
        int d = sizes[0], n = sizes[^1];
        var online = Sequential.Mlp(rng, sizes);
        var target = Sequential.Mlp(rng, sizes);
        // Large inputs keep a width-1 layer alive for part of the batch.
        float[] obs = Torch.Uniform(rng, -3f, 3f, b * d).Data, nextObs = Torch.Uniform(rng, -3f, 3f, b * d).Data;
        float[] rewards = Torch.Uniform(rng, -2f, 2f, b).Data, dones = new float[b];
        var actions = new int[b];
        for (int i = 0; i < b; i++)
        {
            actions[i] = rng.NextInt(n);
            dones[i] = i % 5 == 0 ? 1f : 0f;
        }
        var config = new QUpdateConfig { Gamma = 0.9, Loss = LossKind.Huber };

        var onlineDouble = new DoubleMlp(online);
        var targetDouble = new DoubleMlp(target);
        var y = new double[b];
        for (int i = 0; i < b; i++)
            y[i] = rewards[i] + 0.9f * (1 - dones[i]) * targetDouble.Forward(nextObs.AsSpan(i * d, d)).Max();
        double Loss()
        {
            double sum = 0;
            for (int i = 0; i < b; i++)
            {
                double delta = onlineDouble.Forward(obs.AsSpan(i * d, d))[actions[i]] - y[i];
                sum += Math.Abs(delta) < 1 ? 0.5 * delta * delta : Math.Abs(delta) - 0.5;
            }
            return sum / b;
        }

        var recorder = new GradientRecorder(online.Parameters());
        float loss = new FastQUpdate(online, target, recorder, config).Step(obs, actions, rewards, nextObs, dones);
        Assert.That(loss, Is.EqualTo(Loss()).Within(1e-5 * Loss()));

        const double h = 1e-6;
        int checkedNonZero = 0;
        for (int t = 0; t < onlineDouble.Parameters.Length; t++)
        {
            double[] theta = onlineDouble.Parameters[t];
            float[] gradient = recorder.Gradients[t];
            double scale = gradient.Max(Math.Abs);
            // the largest gradient of the tensor, then a spread of others
            int[] picks = [Array.IndexOf(gradient, gradient.MaxBy(Math.Abs)), .. Enumerable.Range(0, 6).Select(_ => rng.NextInt(theta.Length))];
            foreach (int j in picks)
            {
                double saved = theta[j];
                theta[j] = saved + h;
                double plus = Loss();
                theta[j] = saved - h;
                double minus = Loss();
                theta[j] = saved;
                double numeric = (plus - minus) / (2 * h);
                Assert.That(gradient[j], Is.EqualTo(numeric).Within(1e-7 + 1e-4 * Math.Abs(numeric) + 1e-5 * scale), $"∂L/∂θ of parameter {t}, element {j}");
                if (Math.Abs(numeric) > 1e-6)
                    checkedNonZero++;
            }
        }
        Assert.That(checkedNonZero, Is.GreaterThan(4 * onlineDouble.Parameters.Length / 2), "most sampled gradients are not zero");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void StepAllocatesNothingOnceTheLargestBatchHasBeenSeen(bool everything)
    {
        const int b = 64, d = 4;
        var rng = new Rng(5);
        var online = Sequential.Mlp(rng, [d, 64, 64, everything ? 3 : 2]);
        var target = Sequential.Mlp(rng, [d, 64, 64, everything ? 3 : 2]);
        Optimizer optimizer = everything ? new Adam(online.Parameters(), 1e-3) : new SGD(online.Parameters(), 1e-2);
        var config = new QUpdateConfig { Loss = everything ? LossKind.Huber : LossKind.Mse, DoubleDqn = everything, MaxGradNorm = everything ? 1.0 : null };
        var update = new FastQUpdate(online, target, optimizer, config, dueling: everything, batchCapacity: 16);
        float[] obs = Torch.Randn(rng, b * d).Data, nextObs = Torch.Randn(rng, b * d).Data, rewards = Torch.Randn(rng, b).Data;
        float[] dones = new float[b], discounts = new float[b], weights = new float[b], tdErrors = new float[b];
        var actions = new int[b];
        for (int i = 0; i < b; i++)
        {
            actions[i] = rng.NextInt(2);
            discounts[i] = 0.99f;
            weights[i] = 0.5f;
        }

        // The first batch is larger than the capacity: the buffers grow here, once.
        for (int warmup = 0; warmup < 3; warmup++)
            Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 20; step++)
            Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero, "bytes allocated by 20 steady-state updates");

        void Step()
        {
            if (everything)
                update.Step(obs, actions, rewards, nextObs, dones, discounts, weights, tdErrors);
            else
                update.Step(obs, actions, rewards, nextObs, dones);
        }
    }

    [Test]
    public void DuelingHeadCombinesAndBackPropagatesAsDerivedByHand()
    {
        // V = 1, A = (1, 2, 3): mean A = 2, so Q = 1 + A − 2 = (0, 1, 2)
        var q = new float[3];
        DuelingHead.Forward([1f, 1f, 2f, 3f], 3, q);
        Assert.That(q, Is.EqualTo(new[] { 0f, 1f, 2f }));
        // ∂L/∂Q = (1, 0, 0): ∂L/∂V = 1, ∂L/∂A = (1 − 1/3, −1/3, −1/3)
        var g = new float[4];
        DuelingHead.Backward([1f, 0f, 0f], 3, g);
        Assert.That(g, Is.EqualTo(new[] { 1f, 2f / 3, -1f / 3, -1f / 3 }).Within(1e-7f));
        Assert.That(() => DuelingHead.Forward([1f, 2f, 3f], 3, q), Throws.ArgumentException.With.Message.Contains("1 + 3"));
    }

    [Test]
    public void BadBatchesAreRefusedWithTheirShapes()
    {
        var rng = new Rng(1);
        var online = Sequential.Mlp(rng, [4, 8, 2]);
        var update = new FastQUpdate(online, Sequential.Mlp(rng, [4, 8, 2]), new SGD(online.Parameters(), 0.1), new QUpdateConfig());
        float[] obs = new float[12], r = new float[3];
        Assert.Multiple(() =>
        {
            Assert.That(() => update.Step(obs, [0, 1, 2], r, obs, r),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("actions[2] is 2").And.Message.Contains("valid: 0..1"));
            Assert.That(() => update.Step(new float[10], [0, 1, 0], r, obs, r),
                Throws.ArgumentException.With.Message.Contains("observations has 10 values").And.Message.Contains("[3, 4]"));
            Assert.That(() => update.Step(obs, [0, 1, 0], new float[2], obs, r),
                Throws.ArgumentException.With.Message.Contains("rewards has 2 values"));
            Assert.That(() => update.Step(obs, [0, 1, 0], r, obs, r, weights: new float[4]),
                Throws.ArgumentException.With.Message.Contains("weights has 4 values"));
            Assert.That(() => update.Step([], [], [], [], []),
                Throws.ArgumentException.With.Message.Contains("empty"));
            Assert.That(() => new FastQUpdate(online, Sequential.Mlp(rng, [4, 8, 3]), new SGD(online.Parameters(), 0.1), new QUpdateConfig()),
                Throws.ArgumentException.With.Message.Contains("same shape"));
            Assert.That(() => new FastQUpdate(Sequential.Mlp(rng, [4, 1]), Sequential.Mlp(rng, [4, 1]), new SGD(online.Parameters(), 0.1), new QUpdateConfig(), dueling: true),
                Throws.ArgumentException.With.Message.Contains("outputs 1"));
        });
    }
}
