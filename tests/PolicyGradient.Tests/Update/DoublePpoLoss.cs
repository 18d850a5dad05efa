using PolicyGradient.Update;
using TinyTorch;

namespace PolicyGradient.Tests.Update;

/// <summary>
/// An independent reference for one PPO update: CleanRL's loss evaluated from scratch in double precision with plain
/// loops (no TinyTorch op), from the agent's parameters flattened in <see cref="Agent"/>'s parameter order, and its
/// gradient by central finite differences of that double loss.
/// </summary>
internal sealed class DoublePpoLoss(Agent agent, PpoBatch batch, PpoLossConfig config)
{
    private readonly int[][] _actorShapes = Shapes(agent.Actor.Parameters());
    private readonly int[][] _criticShapes = Shapes(agent.Critic.Parameters());

    /// <summary>Every parameter of the agent as doubles, actor first, in Parameters() order.</summary>
    public double[][] Parameters() => [.. agent.Parameters().Select(p => p.Data.Select(v => (double)v).ToArray())];

    /// <summary>(loss, pg_loss, v_loss, mean entropy, approx_kl, clipfrac) at the given parameters.</summary>
    public (double Loss, double PgLoss, double VLoss, double Entropy, double ApproxKl, double ClipFrac) Evaluate(double[][] theta)
    {
        int b = batch.Size, nActor = _actorShapes.Length;
        double clip = config.ClipCoef;
        double[] adv = [.. batch.Advantages.Data.Select(v => (double)v)];
        if (config.NormAdv)
        {
            double mean = adv.Average();
            double std = Math.Sqrt(adv.Sum(a => (a - mean) * (a - mean)) / (b - 1));
            adv = [.. adv.Select(a => (a - mean) / (std + 1e-8))];
        }
        double pg = 0, v = 0, entropy = 0, kl = 0, clipped = 0;
        for (int i = 0; i < b; i++)
        {
            double[] s = [.. Enumerable.Range(0, batch.Observations.Size(1)).Select(j => (double)batch.Observations[i, j])];
            double[] logits = Mlp(theta.AsSpan(0, nActor), _actorShapes, s);
            double max = logits.Max();
            double logSum = max + Math.Log(logits.Sum(z => Math.Exp(z - max)));
            double[] logp = [.. logits.Select(z => z - logSum)];
            entropy -= logp.Sum(l => Math.Exp(l) * l);

            // r = exp(log π(a|s) − log π_old(a|s))
            double logRatio = logp[batch.Actions[i]] - batch.LogProbs.Data[i];
            double r = Math.Exp(logRatio);
            kl += (r - 1) - logRatio;
            clipped += Math.Abs(r - 1) > clip ? 1 : 0;
            pg += Math.Max(-adv[i] * r, -adv[i] * Math.Clamp(r, 1 - clip, 1 + clip));

            double value = Mlp(theta.AsSpan(nActor), _criticShapes, s)[0];
            double ret = batch.Returns.Data[i], old = batch.Values.Data[i];
            double unclipped = (value - ret) * (value - ret);
            double vClipped = old + Math.Clamp(value - old, -clip, clip);
            v += config.ClipVloss ? Math.Max(unclipped, (vClipped - ret) * (vClipped - ret)) : unclipped;
        }
        pg /= b;
        v = 0.5 * v / b;
        entropy /= b;
        return (pg - config.EntCoef * entropy + config.VfCoef * v, pg, v, entropy, kl / b, clipped / b);
    }

    /// <summary>∂loss/∂θ by central differences, step h in double (the loss is smooth away from the clip boundaries).</summary>
    public double[][] Gradient(double[][] theta, double h = 1e-6)
    {
        var grad = new double[theta.Length][];
        for (int p = 0; p < theta.Length; p++)
        {
            grad[p] = new double[theta[p].Length];
            for (int k = 0; k < theta[p].Length; k++)
            {
                double x0 = theta[p][k];
                theta[p][k] = x0 + h;
                double plus = Evaluate(theta).Loss;
                theta[p][k] = x0 - h;
                double minus = Evaluate(theta).Loss;
                theta[p][k] = x0;
                grad[p][k] = (plus - minus) / (2 * h);
            }
        }
        return grad;
    }

    /// <summary>Linear, tanh, …, Linear on one observation, from [weight, bias] pairs.</summary>
    private static double[] Mlp(ReadOnlySpan<double[]> theta, int[][] shapes, double[] x)
    {
        int layers = theta.Length / 2;
        for (int l = 0; l < layers; l++)
        {
            double[] w = theta[2 * l], bias = theta[2 * l + 1];
            int outs = shapes[2 * l][0], ins = shapes[2 * l][1];
            var y = new double[outs];
            for (int o = 0; o < outs; o++)
            {
                double sum = bias[o];
                for (int j = 0; j < ins; j++)
                    sum += w[o * ins + j] * x[j];
                y[o] = l + 1 < layers ? Math.Tanh(sum) : sum;
            }
            x = y;
        }
        return x;
    }

    private static int[][] Shapes(IReadOnlyList<Tensor> parameters) => [.. parameters.Select(p => p.Shape.ToArray())];
}
