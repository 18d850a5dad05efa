namespace TinyTorch;

/// <summary>While alive, ops record no graph (PyTorch's <c>torch.no_grad()</c>). Scopes nest; per thread.</summary>
public readonly struct NoGradScope : IDisposable
{
    [ThreadStatic] private static int t_depth;

    internal static int Depth => t_depth;

    public NoGradScope() => t_depth++;

    public void Dispose() => t_depth--;
}
