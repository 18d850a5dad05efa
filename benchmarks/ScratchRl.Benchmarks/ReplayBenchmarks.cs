using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Dqn.Replay;
using TinyTorch;

namespace ScratchRl.Benchmarks;

/// <summary>
/// Experience replay with CartPole transitions in a buffer of 100,000: inserting one transition, and sampling a batch
/// of 128 into a preallocated <see cref="ReplayBatch"/>. Each group's baseline is the buffer a first version would
/// hold: a ring of transition records, one object (and two observation arrays) allocated per insert, a batch gathered
/// field by field from the records. Then the struct-of-arrays <see cref="ReplayBuffer"/>, and the prioritized buffer
/// (sum and min trees updated on insert, a tree descent per sampled transition).
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ReplayBenchmarks
{
    private const int Capacity = 100_000, ObservationSize = 4, BatchSize = 128;

    private readonly Transition[] _records = new Transition[Capacity];
    private readonly ReplayBuffer _buffer = new(Capacity, ObservationSize);
    private readonly PrioritizedReplayBuffer _prioritized = new(Capacity, ObservationSize, alpha: 0.6, epsilon: 1e-6);
    private readonly ReplayBatch _batch = new(BatchSize, ObservationSize);
    private readonly float[] _observation = [0.01f, 0.2f, -0.03f, -0.25f], _nextObservation = [0.014f, 0.39f, -0.035f, -0.55f];
    private readonly Rng _rng = new(13);
    private int _recordPosition;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(17);
        var observation = new float[ObservationSize];
        var next = new float[ObservationSize];
        for (int i = 0; i < Capacity; i++)
        {
            for (int d = 0; d < ObservationSize; d++)
            {
                observation[d] = (float)rng.Uniform(-2, 2);
                next[d] = (float)rng.Uniform(-2, 2);
            }
            bool terminated = i % 20 == 19;
            InsertRecord(observation, i % 2, 1f, next, terminated);
            _buffer.Add(observation, i % 2, 1f, next, terminated, 0.99f);
            _prioritized.Add(observation, i % 2, 1f, next, terminated, 0.99f);
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Insert")]
    public void InsertRecord() => InsertRecord(_observation, 1, 1f, _nextObservation, false);

    [Benchmark]
    [BenchmarkCategory("Insert")]
    public void Insert() => _buffer.Add(_observation, 1, 1f, _nextObservation, false, 0.99f);

    [Benchmark]
    [BenchmarkCategory("Insert")]
    public void InsertPrioritized() => _prioritized.Add(_observation, 1, 1f, _nextObservation, false, 0.99f);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Sample")]
    public int SampleRecords()
    {
        int d = ObservationSize;
        for (int i = 0; i < BatchSize; i++)
        {
            int slot = _rng.NextInt(Capacity);
            Transition t = _records[slot];
            t.Observation.CopyTo(_batch.Observations, i * d);
            t.NextObservation.CopyTo(_batch.NextObservations, i * d);
            _batch.Actions[i] = t.Action;
            _batch.Rewards[i] = t.Reward;
            _batch.Terminated[i] = t.Terminated ? 1f : 0f;
            _batch.Indices[i] = slot;
        }
        return _batch.Actions[0];
    }

    [Benchmark]
    [BenchmarkCategory("Sample")]
    public int Sample()
    {
        _buffer.Sample(BatchSize, _rng, _batch);
        return _batch.Actions[0];
    }

    [Benchmark]
    [BenchmarkCategory("Sample")]
    public int SamplePrioritized()
    {
        _prioritized.Sample(BatchSize, beta: 0.4, _rng, _batch);
        return _batch.Actions[0];
    }

    private void InsertRecord(float[] observation, int action, float reward, float[] next, bool terminated)
    {
        _records[_recordPosition] = new Transition((float[])observation.Clone(), action, reward, (float[])next.Clone(), terminated);
        _recordPosition = (_recordPosition + 1) % Capacity;
    }

    /// <summary>One transition as an object, the way a first replay buffer stores it.</summary>
    private sealed record Transition(float[] Observation, int Action, float Reward, float[] NextObservation, bool Terminated);
}
