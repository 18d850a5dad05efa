using Training.Config;
using Dqn.Update;
using TinyTorch.Nn;

namespace Dqn.Tests.Update;

/// <summary>
/// The Q-update of tests/data/reference/README.md computed in double precision, written from that text and nothing
/// else of ours: y = r + dᵢ·(1 − done)·Q_target(s′, a*) (dᵢ = γ without discounts), a* from the target or, with Double
/// DQN, from the online network as it is at that step; Q = V + A − mean A with the dueling head; L = (1/B)·Σ wᵢ·ℓ(δᵢ);
/// backward by hand; clip_grad_norm_; PyTorch's SGD or Adam (β = (0.9, 0.999), ε = 1e-8). The float updates must land
/// within the reference data's tolerance of it; its own gradient is checked against finite differences.
/// </summary>
internal static class DoubleQUpdate
{
    public sealed record Problem(
        float[] Observations, int[] Actions, float[] Rewards, float[] NextObservations, float[] Dones,
        float[]? Discounts, float[]? Weights, QUpdateConfig Config, bool Dueling, bool Adam, double Lr)
    {
        public int BatchSize => Actions.Length;

        public int ObservationSize => Observations.Length / Actions.Length;

        public double[] Row(float[] rows, int i) => [.. rows.AsSpan(i * ObservationSize, ObservationSize).ToArray().Select(v => (double)v)];
    }

    /// <summary>The online network's parameters after the steps, the loss of each step and |δ| of the last.</summary>
    public sealed record Result(double[][] Parameters, double[] Losses, double[] Priorities);

    /// <summary>
    /// <paramref name="steps"/> updates from the float networks' parameters. With <paramref name="gradientNoise"/> &gt; 0,
    /// every factor of every product backward forms (activations and back-propagated gradients) is scaled by a seeded
    /// 1 ± up to that much: rounding of the size float arithmetic makes, to measure how much each element's update
    /// depends on it (see <see cref="Slack"/>).
    /// </summary>
    public static Result Run(Sequential online, Sequential target, Problem p, int steps, double gradientNoise = 0, ulong noiseSeed = 0)
    {
        var noise = new TinyTorch.Rng(noiseSeed);
        var q = new DoubleMlp(online);
        var qTarget = new DoubleMlp(target);
        double[][] m = q.ZerosLikeParameters(), v = q.ZerosLikeParameters();
        var losses = new double[steps];
        double[] priorities = [];
        for (int t = 1; t <= steps; t++)
        {
            double[] y = Targets(q, qTarget, p);
            (losses[t - 1], double[][] g, double[] delta) = LossAndGradient(q, y, p,
                gradientNoise > 0 ? v => v * (1 + gradientNoise * (2 * noise.NextDouble() - 1)) : null);
            priorities = [.. delta.Select(Math.Abs)];
            if (p.Config.MaxGradNorm is { } maxNorm)
            {
                // clip_grad_norm_: g ← g·min(1, max_norm/(‖g‖ + 1e-6))
                double norm = Math.Sqrt(g.Sum(gp => gp.Sum(x => x * x)));
                double coefficient = Math.Min(1, maxNorm / (norm + 1e-6));
                foreach (double[] gp in g)
                    for (int j = 0; j < gp.Length; j++)
                        gp[j] *= coefficient;
            }
            for (int k = 0; k < g.Length; k++)
                for (int j = 0; j < g[k].Length; j++)
                {
                    if (!p.Adam)
                    {
                        q.Parameters[k][j] -= p.Lr * g[k][j];
                        continue;
                    }
                    // m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − (lr/bc₁)·m/(√v/√bc₂ + ε)
                    m[k][j] = 0.9 * m[k][j] + 0.1 * g[k][j];
                    v[k][j] = 0.999 * v[k][j] + 0.001 * g[k][j] * g[k][j];
                    double bc1 = 1 - Math.Pow(0.9, t), bc2 = 1 - Math.Pow(0.999, t);
                    q.Parameters[k][j] -= p.Lr / bc1 * m[k][j] / (Math.Sqrt(v[k][j]) / Math.Sqrt(bc2) + 1e-8);
                }
        }
        return new Result(q.Parameters, losses, priorities);
    }

    /// <summary>yᵢ = rᵢ + dᵢ·(1 − doneᵢ)·Q_target(s′ᵢ, a*ᵢ).</summary>
    public static double[] Targets(DoubleMlp online, DoubleMlp target, Problem p)
    {
        var y = new double[p.BatchSize];
        for (int i = 0; i < p.BatchSize; i++)
        {
            double[] next = p.Row(p.NextObservations, i);
            double[] nextTarget = QValues(target.Forward(next)[^1], p.Dueling);
            double[] chooser = p.Config.DoubleDqn ? QValues(online.Forward(next)[^1], p.Dueling) : nextTarget;
            int best = Array.IndexOf(chooser, chooser.Max());
            double discount = p.Discounts?[i] ?? p.Config.Gamma;
            y[i] = p.Rewards[i] + discount * (1 - p.Dones[i]) * nextTarget[best];
        }
        return y;
    }

    /// <summary>L = (1/B)·Σ wᵢ·ℓ(δᵢ) with y held fixed, its gradient ∂L/∂θ and δ.</summary>
    public static (double Loss, double[][] Gradient, double[] Delta) LossAndGradient(DoubleMlp online, double[] y, Problem p, Func<double, double>? jitter = null)
    {
        int b = p.BatchSize;
        double beta = p.Config.HuberBeta;
        double[][] gradient = online.ZerosLikeParameters();
        var deltas = new double[b];
        double loss = 0;
        for (int i = 0; i < b; i++)
        {
            double[][] xs = online.Forward(p.Row(p.Observations, i));
            double[] output = xs[^1];
            double[] qValues = QValues(output, p.Dueling);
            int a = p.Actions[i];
            double delta = qValues[a] - y[i], w = p.Weights?[i] ?? 1;
            deltas[i] = delta;
            double ell, slope;
            if (p.Config.Loss == LossKind.Mse)
                (ell, slope) = (delta * delta, 2 * delta);
            else if (Math.Abs(delta) < beta)
                (ell, slope) = (0.5 * delta * delta / beta, delta / beta);
            else
                (ell, slope) = (Math.Abs(delta) - 0.5 * beta, Math.Sign(delta));
            loss += w * ell / b;
            // ∂L/∂Q(sᵢ, a) = wᵢ·ℓ′(δᵢ)/B; Q_a = V + A_a − mean A, so ∂Q_a/∂V = 1 and ∂Q_a/∂A_c = [a = c] − 1/|A|
            double gq = w * slope / b;
            var gradOutput = new double[output.Length];
            if (p.Dueling)
            {
                int n = output.Length - 1;
                gradOutput[0] = gq;
                for (int c = 0; c < n; c++)
                    gradOutput[1 + c] = (c == a ? gq : 0) - gq / n;
            }
            else
            {
                gradOutput[a] = gq;
            }
            online.Backward(xs, gradOutput, gradient, jitter);
        }
        return (loss, gradient, deltas);
    }

    /// <summary>Q = V + A − mean A from [V, A₀, …], or the output itself.</summary>
    public static double[] QValues(double[] output, bool dueling)
    {
        if (!dueling)
            return output;
        double meanA = output.Skip(1).Average();
        return [.. output.Skip(1).Select(a => output[0] + a - meanA)];
    }

    /// <summary>
    /// How far each parameter's result moves when backward's products carry float-sized relative errors (1e-6, three
    /// seeded draws): near zero for almost every element, but as large as Adam's step lr where a gradient is a
    /// near-total cancellation of its terms, since Adam divides by √v. Two correct float
    /// implementations can differ that much there, whatever the CPU; the comparisons allow twice this spread on top of
    /// the reference data's tolerance.
    /// </summary>
    public static double[][] Slack(Sequential online, Sequential target, Problem p, int steps, double[][] reference)
    {
        double[][] slack = [.. reference.Select(r => new double[r.Length])];
        for (ulong draw = 1; draw <= 3; draw++)
        {
            double[][] noisy = Run(online, target, p, steps, 1e-6, draw).Parameters;
            for (int k = 0; k < slack.Length; k++)
                for (int j = 0; j < slack[k].Length; j++)
                    slack[k][j] = Math.Max(slack[k][j], Math.Abs(noisy[k][j] - reference[k][j]));
        }
        return slack;
    }

    /// <summary>
    /// Asserts every parameter of <paramref name="network"/> within 1e-5 + 1e-4·|expected| + 2·slack of
    /// <paramref name="expected"/>, and that the slack widens the tolerance for at most 1% of the elements.
    /// </summary>
    public static void AssertClose(Sequential network, double[][] expected, double[][] slack, string context)
    {
        IReadOnlyList<TinyTorch.Tensor> parameters = network.Parameters();
        var names = network.StateDict().Keys.ToArray();
        int widened = 0, total = 0;
        for (int k = 0; k < parameters.Count; k++)
            for (int j = 0; j < expected[k].Length; j++)
            {
                double want = expected[k][j], tolerance = 1e-5 + 1e-4 * Math.Abs(want);
                float got = parameters[k].Data[j];
                total++;
                if (2 * slack[k][j] > tolerance)
                    widened++;
                if (!(Math.Abs(got - want) <= tolerance + 2 * slack[k][j]))
                    Assert.Fail($"{context}: {names[k]}[{j}] is {got:R}, expected {want:R} (tolerance {tolerance:G3} + 2·{slack[k][j]:G3} for rounding-sensitive steps)");
            }
        Assert.That(widened, Is.LessThanOrEqualTo(total / 100), $"{context}: elements whose tolerance the rounding slack widens, of {total}");
    }

    /// <summary>The parameters of <paramref name="network"/> in double, as <see cref="AssertClose"/> takes them.</summary>
    public static double[][] ParametersOf(Sequential network) => new DoubleMlp(network).Parameters;
}
