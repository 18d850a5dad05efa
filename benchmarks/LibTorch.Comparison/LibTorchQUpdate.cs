using Dqn.Update;
using ScratchRl.Benchmarks;
using Training.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace LibTorch.Comparison;

/// <summary>
/// The update of <see cref="DqnUpdateBenchmarks.Update"/> in libtorch, written as a PyTorch user writes it (CleanRL's
/// dqn.py, with the Huber loss): an <c>nn.Sequential</c> of Linear and ReLU, <c>torch.optim.Adam</c> with its
/// defaults, the target network's forward without a graph, gather, <c>smooth_l1_loss</c>, zero_grad, backward, step,
/// <c>loss.item()</c>. Both networks start from the ScratchRl benchmark's seeded weights and train on its batch, so the
/// two libraries compute the same numbers (<see cref="CheckSameAs"/>).
/// </summary>
public sealed class LibTorchQUpdate : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _qNetwork, _targetNetwork;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _observations, _actions, _rewards, _nextObservations, _terminated;
    private readonly double _gamma;

    /// <summary>The update of <paramref name="benchmark"/> (after its setup): its network twice, its batch, its γ.</summary>
    /// <exception cref="ArgumentException">The benchmark's update is not the plain one written here (Huber β = 1, no Double DQN, no clipping, no per-transition discounts or weights).</exception>
    public LibTorchQUpdate(DqnUpdateBenchmarks benchmark)
    {
        QUpdateConfig config = benchmark.Config;
        QBatch batch = benchmark.Batch;
        if (config is not { Loss: LossKind.Huber, HuberBeta: 1, DoubleDqn: false, MaxGradNorm: null } || batch.Discounts is not null || batch.Weights is not null)
            throw new ArgumentException($"The libtorch update is the plain DQN update with the Huber loss (β = 1); the benchmark's is {config}.", nameof(benchmark));
        _qNetwork = Copy(benchmark.Network());
        _targetNetwork = Copy(benchmark.Network());
        _optimizer = optim.Adam(_qNetwork.parameters(), lr: 1e-3);
        _gamma = config.Gamma;
        int b = batch.Size;
        _observations = tensor(batch.Observations.Data, [b, batch.Observations.Size(1)]);
        _nextObservations = tensor(batch.NextObservations.Data, [b, batch.NextObservations.Size(1)]);
        _actions = tensor(Array.ConvertAll(batch.Actions, a => (long)a), [b, 1]);
        _rewards = tensor(batch.Rewards.Data, [b]);
        _terminated = tensor(batch.Terminated.Data, [b]);
    }

    /// <summary>One update; returns the loss before the step, as <see cref="DqnUpdateBenchmarks.Update"/> does.</summary>
    public float Step()
    {
        using var scope = NewDisposeScope();
        Tensor tdTarget;
        using (no_grad())
        {
            // max_a′ Q_target(s′, a′)                                           [B]
            Tensor targetMax = _targetNetwork.forward(_nextObservations).max(1).values;
            // y = r + γ·max_a′ Q_target(s′, a′)·(1 − done)
            tdTarget = _rewards + _gamma * targetMax * (1 - _terminated);
        }
        // Q(s, a)                                                              [B]
        Tensor oldValue = _qNetwork.forward(_observations).gather(1, _actions).squeeze();
        Tensor loss = nn.functional.smooth_l1_loss(oldValue, tdTarget);
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    /// <summary>
    /// Runs <paramref name="steps"/> updates of a fresh libtorch update and of <paramref name="reference"/> (fresh, after
    /// its setup) side by side and throws unless each loss agrees to float32 rounding: what the comparison times is the
    /// same arithmetic in both libraries, not two different updates.
    /// </summary>
    /// <exception cref="InvalidOperationException">A loss differs by more than 1e-4 relative.</exception>
    public static void CheckSameAs(DqnUpdateBenchmarks reference, int steps = 3)
    {
        using var libTorch = new LibTorchQUpdate(reference);
        for (int step = 1; step <= steps; step++)
        {
            float expected = reference.Update(), actual = libTorch.Step();
            if (!(Math.Abs(actual - expected) <= 1e-4 * Math.Abs(expected)))
                throw new InvalidOperationException($"Step {step} of {reference.Shape}: libtorch's loss is {actual:R}, ScratchRl's {expected:R}; the two updates differ.");
        }
    }

    public void Dispose()
    {
        foreach (Tensor t in new[] { _observations, _actions, _rewards, _nextObservations, _terminated })
            t.Dispose();
        _optimizer.Dispose();
        _qNetwork.Dispose();
        _targetNetwork.Dispose();
    }

    /// <summary>The same layers with the same weights: each Linear copied (weight [out, in], bias [out]), each ReLU a ReLU.</summary>
    private static nn.Module<Tensor, Tensor> Copy(TinyTorch.Nn.Sequential network)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        foreach (TinyTorch.Nn.Module module in network)
        {
            switch (module)
            {
                case TinyTorch.Nn.Linear linear:
                    var copy = nn.Linear(linear.InFeatures, linear.OutFeatures);
                    using (no_grad())
                    {
                        using Tensor weight = tensor(linear.Weight.Data, [linear.OutFeatures, linear.InFeatures]);
                        using Tensor bias = tensor(linear.Bias!.Data, [linear.OutFeatures]);
                        copy.weight!.copy_(weight);
                        copy.bias!.copy_(bias);
                    }
                    layers.Add(copy);
                    break;
                case TinyTorch.Nn.ReLU:
                    layers.Add(nn.ReLU());
                    break;
                default:
                    throw new ArgumentException($"The network has a {module.GetType().Name}; only Linear and ReLU layers are copied to libtorch.", nameof(network));
            }
        }
        return nn.Sequential(layers);
    }
}
