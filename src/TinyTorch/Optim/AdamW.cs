namespace TinyTorch.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter, 2019), PyTorch's <c>torch.optim.AdamW</c>:
/// θ ← θ·(1 − γλ) first, then the <see cref="Adam"/> step on the unmodified gradient. λ defaults to 1e-2 as in PyTorch.
/// </summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
    : Adam(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, decoupledWeightDecay: true);
