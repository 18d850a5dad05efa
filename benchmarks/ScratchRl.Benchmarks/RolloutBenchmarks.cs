using BenchmarkDotNet.Attributes;
using CartPole;
using PolicyGradient;
using PolicyGradient.Rollout;
using TinyTorch;

namespace ScratchRl.Benchmarks;

/// <summary>
/// Collecting PPO's rollout, per environment step: the policy's forward pass on the N observations (logits, a sampled
/// action and its log-probability, V(s), without a graph) and one step of the SIMD <see cref="CartPoleVectorEnv"/>
/// (SameStep auto-reset, the critic rating true final observations at time limits). One call collects
/// <see cref="Steps"/> steps of each of <see cref="NumEnvs"/> envs; the table reports one env step
/// (OperationsPerInvoke = N·T). 4 × 128 is the <c>ppo</c> preset's rollout, 8 × 32 <c>ppo-fast</c>'s. The baseline,
/// <see cref="EnvironmentOnly"/>, steps the same vector env with fixed random actions and no policy, so the ratio is the
/// cost of acting with the network over the environment alone.
/// </summary>
[MemoryDiagnoser]
public class RolloutBenchmarks
{
    private const int OperationsPerRollout = 512;

    private Agent _agent = null!;
    private RolloutCollector _collector = null!;
    private RolloutBuffer _buffer = null!;
    private int[] _actions = null!;

    [Params(4, 8)]
    public int NumEnvs { get; set; }

    /// <summary>T, so that N·T = 512 env steps per call whatever N.</summary>
    public int Steps => OperationsPerRollout / NumEnvs;

    [GlobalSetup]
    public void Setup()
    {
        _agent = Agent.Create(4, 2, new Rng(5), [64, 64]);
        _collector = new RolloutCollector(new CartPoleVectorEnv(NumEnvs, autoreset: AutoresetMode.SameStep), new Rng(7));
        _collector.Reset(1);
        _buffer = new RolloutBuffer(Steps, NumEnvs, 4);
        var rng = new Rng(9);
        _actions = new int[OperationsPerRollout];
        for (int i = 0; i < _actions.Length; i++)
            _actions[i] = rng.NextInt(2);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = OperationsPerRollout)]
    public void EnvironmentOnly() => _collector.Replay(_actions);

    [Benchmark(OperationsPerInvoke = OperationsPerRollout)]
    public float Collect()
    {
        _collector.Collect(_agent, _buffer);
        return _buffer.NextValues[0];
    }
}
