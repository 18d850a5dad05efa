namespace TinyTorch.Optim;

/// <summary>
/// What an optimizer needs to resume exactly: its step count and its per-parameter buffers, keyed
/// <c>"{parameter index}.{buffer}"</c> with PyTorch's buffer names (<c>0.exp_avg</c>, <c>0.exp_avg_sq</c>,
/// <c>3.momentum_buffer</c>, ...), each shaped like its parameter. Hyperparameters are not part of it: they come from
/// the optimizer's constructor (the run's configuration).
/// </summary>
public sealed record OptimizerState(long Step, IReadOnlyDictionary<string, Tensor> Tensors);
