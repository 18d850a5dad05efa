namespace TinyTorch.Optim;

/// <summary>
/// A learning rate annealed linearly from <see cref="InitialLr"/> towards 0 over <see cref="Iterations"/> iterations,
/// as CleanRL's ppo.py does at the start of each iteration i = 1..N:
/// <code>
/// frac = 1 − (i − 1)/N,   lr_i = frac · lr₀
/// </code>
/// so the first iteration uses lr₀ and the last lr₀/N (0 is never reached).
/// </summary>
public sealed record LinearLrSchedule
{
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="initialLr"/> is negative or not finite, or
    /// <paramref name="iterations"/> &lt; 1.</exception>
    public LinearLrSchedule(double initialLr, int iterations)
    {
        if (!(initialLr >= 0) || !double.IsFinite(initialLr))
            throw new ArgumentOutOfRangeException(nameof(initialLr), initialLr, $"LinearLrSchedule: the initial learning rate must be a finite number >= 0, got {initialLr}.");
        if (iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"LinearLrSchedule: needs at least 1 iteration, got {iterations}.");
        InitialLr = initialLr;
        Iterations = iterations;
    }

    /// <summary>lr₀, the rate of the first iteration.</summary>
    public double InitialLr { get; }

    /// <summary>N, the number of iterations of the run.</summary>
    public int Iterations { get; }

    /// <summary>lr_i = (1 − (i − 1)/N)·lr₀ for iteration <paramref name="iteration"/> in 1..N.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the iteration is outside 1..N.</exception>
    public double LrAt(int iteration)
    {
        if (iteration < 1 || iteration > Iterations)
            throw new ArgumentOutOfRangeException(nameof(iteration), iteration, $"LinearLrSchedule: iteration must be in 1..{Iterations}, got {iteration}.");
        // frac = 1 − (i − 1)/N
        double frac = 1.0 - (iteration - 1.0) / Iterations;
        return frac * InitialLr;
    }

    /// <summary>Sets <paramref name="optimizer"/>'s learning rate to <see cref="LrAt"/>(<paramref name="iteration"/>).</summary>
    public void Apply(Optimizer optimizer, int iteration)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.Lr = LrAt(iteration);
    }
}
