namespace Training.Reporting;

/// <summary>How <see cref="CurveSvg"/> draws the learning curve.</summary>
internal sealed record CurveOptions
{
    public int Width { get; init; } = 960;

    public int Height { get; init; } = 520;

    /// <summary>Heading drawn above the plot (null: none).</summary>
    public string? Title { get; init; }

    /// <summary>The horizontal "solved" line (null: not drawn).</summary>
    public double? SolveThreshold { get; init; } = 475;

    /// <summary>Episodes in the moving average of the returns.</summary>
    public int MovingAverageWindow { get; init; } = 20;

    /// <summary>Right end of the step axis (e.g. total_timesteps); null: the last recorded step.</summary>
    public long? MaxStep { get; init; }
}
