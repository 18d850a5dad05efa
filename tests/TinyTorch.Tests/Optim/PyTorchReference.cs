namespace TinyTorch.Tests.Optim;

/// <summary>
/// Straightforward double-precision transcriptions of the update rules in PyTorch's optimizer documentation
/// (torch.optim.SGD, Adam, AdamW, RMSprop), one element at a time, written independently of the library's
/// span-based code. Each runs the given gradients (one array per step) from θ₀ and returns θ after every step.
/// </summary>
internal static class PyTorchReference
{
    public static double[][] Sgd(double[] theta0, double[][] grads, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
    {
        double[] theta = (double[])theta0.Clone();
        double[]? b = null;
        var trajectory = new double[grads.Length][];
        for (int t = 1; t <= grads.Length; t++)
        {
            double[] g = grads[t - 1];
            var next = new double[theta.Length];
            bool first = b is null;
            b ??= new double[theta.Length];
            for (int i = 0; i < theta.Length; i++)
            {
                double gi = g[i];
                if (weightDecay != 0)
                    gi += weightDecay * theta[i];
                if (momentum != 0)
                {
                    b[i] = first ? gi : momentum * b[i] + (1 - dampening) * gi;
                    gi = nesterov ? gi + momentum * b[i] : b[i];
                }
                next[i] = theta[i] - lr * gi;
            }
            theta = next;
            trajectory[t - 1] = (double[])theta.Clone();
        }
        return trajectory;
    }

    /// <summary>
    /// Adam / AdamW. For AMSGrad this follows PyTorch's implementation (and the brief): the running maximum is taken
    /// over the raw second moments v and divided by the current √(1 − β₂ᵗ); the documentation's pseudo-code writes
    /// the maximum over bias-corrected values instead.
    /// </summary>
    public static double[][] Adam(double[] theta0, double[][] grads, double lr, double beta1, double beta2, double eps, double weightDecay = 0, bool amsgrad = false, bool decoupled = false)
    {
        double[] theta = (double[])theta0.Clone();
        var m = new double[theta.Length];
        var v = new double[theta.Length];
        var vMax = new double[theta.Length];
        var trajectory = new double[grads.Length][];
        for (int t = 1; t <= grads.Length; t++)
        {
            double[] g = grads[t - 1];
            for (int i = 0; i < theta.Length; i++)
            {
                double gi = g[i];
                if (decoupled)
                    theta[i] *= 1 - lr * weightDecay;
                else
                    gi += weightDecay * theta[i];
                m[i] = beta1 * m[i] + (1 - beta1) * gi;
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                vMax[i] = Math.Max(vMax[i], v[i]);
                double vHat = (amsgrad ? vMax[i] : v[i]) / (1 - Math.Pow(beta2, t));
                theta[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            trajectory[t - 1] = (double[])theta.Clone();
        }
        return trajectory;
    }

    public static double[][] RmsProp(double[] theta0, double[][] grads, double lr, double alpha, double eps, double weightDecay = 0, double momentum = 0, bool centered = false)
    {
        double[] theta = (double[])theta0.Clone();
        var v = new double[theta.Length];
        var gAvg = new double[theta.Length];
        var b = new double[theta.Length];
        var trajectory = new double[grads.Length][];
        for (int t = 1; t <= grads.Length; t++)
        {
            double[] g = grads[t - 1];
            for (int i = 0; i < theta.Length; i++)
            {
                double gi = g[i] + weightDecay * theta[i];
                v[i] = alpha * v[i] + (1 - alpha) * gi * gi;
                double vTilde = v[i];
                if (centered)
                {
                    gAvg[i] = alpha * gAvg[i] + (1 - alpha) * gi;
                    vTilde -= gAvg[i] * gAvg[i];
                }
                if (momentum > 0)
                {
                    b[i] = momentum * b[i] + gi / (Math.Sqrt(vTilde) + eps);
                    theta[i] -= lr * b[i];
                }
                else
                {
                    theta[i] -= lr * gi / (Math.Sqrt(vTilde) + eps);
                }
            }
            trajectory[t - 1] = (double[])theta.Clone();
        }
        return trajectory;
    }
}
