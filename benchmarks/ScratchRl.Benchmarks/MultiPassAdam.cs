using TinyTorch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace ScratchRl.Benchmarks;

/// <summary>
/// Adam written the straightforward way, one TensorPrimitives call per formula line (ten passes over each tensor), as
/// <see cref="TinyTorch.Optim.Adam"/> was before its update became one fused pass: the baseline of the Adam benchmark.
/// No weight decay, no AMSGrad. Its moments are its own; it reads the parameters' gradients and updates them in place.
/// </summary>
public sealed class MultiPassAdam
{
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly float[][] _m, _v;
    private readonly float[] _tmp;
    private readonly double _lr, _beta1, _beta2, _eps;
    private long _step;

    public MultiPassAdam(IReadOnlyList<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        _parameters = parameters;
        _m = new float[parameters.Count][];
        _v = new float[parameters.Count][];
        int largest = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            _m[i] = new float[parameters[i].Count];
            _v[i] = new float[parameters[i].Count];
            largest = Math.Max(largest, parameters[i].Count);
        }
        _tmp = new float[largest];
        (_lr, _beta1, _beta2, _eps) = (lr, beta1, beta2, eps);
    }

    public void Step()
    {
        _step++;
        double biasCorrection1 = 1 - Math.Pow(_beta1, _step);
        double biasCorrection2 = 1 - Math.Pow(_beta2, _step);
        float stepSize = (float)(_lr / biasCorrection1);
        for (int i = 0; i < _parameters.Count; i++)
        {
            Span<float> theta = _parameters[i].Data;
            ReadOnlySpan<float> g = _parameters[i].Grad!.Data;
            Span<float> m = _m[i], v = _v[i], tmp = _tmp.AsSpan(0, theta.Length);
            // m = β₁·m + (1 − β₁)·g
            TensorPrimitives.Multiply(m, (float)_beta1, m);
            TensorPrimitives.MultiplyAdd(g, (float)(1 - _beta1), m, m);
            // v = β₂·v + (1 − β₂)·g²
            TensorPrimitives.Multiply(v, (float)_beta2, v);
            TensorPrimitives.Multiply(g, g, tmp);
            TensorPrimitives.MultiplyAdd(tmp, (float)(1 - _beta2), v, v);
            // denom = √v / √bc₂ + ε
            TensorPrimitives.Sqrt(v, tmp);
            TensorPrimitives.Divide(tmp, (float)Math.Sqrt(biasCorrection2), tmp);
            TensorPrimitives.Add(tmp, (float)_eps, tmp);
            // θ = θ − step_size · m / denom
            TensorPrimitives.Divide(m, tmp, tmp);
            TensorPrimitives.MultiplyAdd(tmp, -stepSize, theta, theta);
        }
    }
}
