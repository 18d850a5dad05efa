using TinyTorch;
using TinyTorch.Optim;

namespace Dqn.Tests.Update;

/// <summary>An "optimizer" that leaves the parameters alone and keeps a copy of the gradient it was handed for each.</summary>
internal sealed class GradientRecorder(IReadOnlyList<Tensor> parameters) : Optimizer(parameters, 0)
{
    public float[][] Gradients { get; } = new float[parameters.Count][];

    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> grad) => Gradients[index] = grad.ToArray();
}
