using Training.Config;

namespace Training.Reporting;

/// <summary>What <see cref="ReportHtml"/> puts on the page.</summary>
public sealed record RunReport
{
    /// <summary>The page's heading.</summary>
    public required string Title { get; init; }

    /// <summary>The run's config (its table on the page).</summary>
    public required TrainConfig Config { get; init; }

    /// <summary>The run's episodes and evaluations (the curve and the tables).</summary>
    public required MetricsLog Metrics { get; init; }

    /// <summary>How the run ended (null while it is still going: the page then shows the last evaluation only).</summary>
    public TrainingSummary? Summary { get; init; }

    /// <summary>An SVG document (e.g. the animated episode) inserted as is; null shows a placeholder line.</summary>
    public string? AnimationSvg { get; init; }

    /// <summary>What the policy makes of the pole (maps and the recorded episode's scores); null: no such section.</summary>
    public PolicyView? Policy { get; init; }

    /// <summary>Extra lines for the summary table, such as wall time, throughput or the machine.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Facts { get; init; } = [];
}
