using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using CartPole;
using TinyTorch;

namespace ScratchRl.Benchmarks;

/// <summary>
/// CartPole-v1 throughput per environment step (every method does 65,536 env steps, so the reported time is per step),
/// with random actions, so episodes end every ~20 steps and resets are part of the cost.
/// Scalar env is the baseline; the vector env is measured at N = 64 and N = 1024. The sin/cos rows show what the
/// trigonometry alone costs per environment: Math.Sin + Math.Cos (what the scalar env calls), the vector env's exact
/// shortcut through Math.SinCos, and the vectorised TensorPrimitives, which is not bit-exact.
/// </summary>
[MemoryDiagnoser]
public class CartPoleBenchmarks
{
    private const int StepsPerInvoke = 65536;

    private readonly CartPoleEnv _env = new();
    private readonly float[] _obs = new float[4];
    private readonly int[] _scalarActions = new int[StepsPerInvoke];

    private CartPoleVectorEnv _vec = null!;
    private int[][] _vecActions = null!;
    private float[] _vecObs = null!, _rewards = null!;
    private bool[] _terminated = null!, _truncated = null!;
    private double[] _theta = null!, _sin = null!, _cos = null!;

    [Params(64, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        for (int i = 0; i < _scalarActions.Length; i++)
            _scalarActions[i] = rng.NextInt(2);
        _env.Reset(_obs, 1);

        _vec = new CartPoleVectorEnv(N);
        _vecObs = new float[4 * N];
        _rewards = new float[N];
        _terminated = new bool[N];
        _truncated = new bool[N];
        _vecActions = new int[16][];
        for (int k = 0; k < _vecActions.Length; k++)
        {
            _vecActions[k] = new int[N];
            for (int i = 0; i < N; i++)
                _vecActions[k][i] = rng.NextInt(2);
        }
        _vec.Reset(_vecObs, 1);

        _theta = new double[N];
        _sin = new double[N];
        _cos = new double[N];
        for (int i = 0; i < N; i++)
            _theta[i] = rng.Uniform(-0.21, 0.21);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = StepsPerInvoke)]
    public float ScalarStep()
    {
        float sum = 0;
        var obs = _obs.AsSpan();
        for (int t = 0; t < StepsPerInvoke; t++)
        {
            var r = _env.Step(_scalarActions[t], obs);
            sum += r.Reward;
            if (r.Done)
                _env.Reset(obs);
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public float VectorStep()
    {
        int steps = StepsPerInvoke / N;
        for (int t = 0; t < steps; t++)
            _vec.Step(_vecActions[t & 15], _vecObs, _rewards, _terminated, _truncated);
        return _rewards[0];
    }

    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public double SinCosPerLaneMath()
    {
        int reps = StepsPerInvoke / N;
        for (int r = 0; r < reps; r++)
        {
            for (int i = 0; i < _theta.Length; i++)
            {
                _sin[i] = Math.Sin(_theta[i]);
                _cos[i] = Math.Cos(_theta[i]);
            }
        }
        return _sin[0] + _cos[0];
    }

    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public double SinCosExactShortcut()
    {
        int reps = StepsPerInvoke / N;
        for (int r = 0; r < reps; r++)
        {
            for (int i = 0; i < _theta.Length; i++)
                ExactSinCos.Compute(_theta[i], out _sin[i], out _cos[i]);
        }
        return _sin[0] + _cos[0];
    }

    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public double SinCosTensorPrimitives()
    {
        int reps = StepsPerInvoke / N;
        for (int r = 0; r < reps; r++)
        {
            TensorPrimitives.Sin(_theta, _sin);
            TensorPrimitives.Cos(_theta, _cos);
        }
        return _sin[0] + _cos[0];
    }
}
