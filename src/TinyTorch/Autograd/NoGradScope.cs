namespace TinyTorch;

/// <summary>While alive, ops record no graph (PyTorch's <c>torch.no_grad()</c>). Scopes nest; per thread.</summary>
public readonly struct NoGradScope : IDisposable
{
    [ThreadStatic] private static int t_depth;

    internal static int Depth => t_depth;

    /// <summary>Enters the scope on this thread (use <see cref="Torch.NoGrad"/>).</summary>
    public NoGradScope() => t_depth++;

    /// <summary>Leaves the scope; graph recording resumes when the outermost scope is left.</summary>
    public void Dispose() => t_depth--;
}
