using System.Globalization;

namespace Training.Config;

public sealed partial record TrainConfig
{
    /// <summary>Cap on the product of tabular.bins, so a typo cannot allocate gigabytes.</summary>
    public const int MaxTabularStates = 10_000_000;

    /// <summary>Throws a <see cref="ConfigException"/> listing every problem of <see cref="Problems"/>; returns this config when there is none.</summary>
    public TrainConfig Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new ConfigException(problems);
        return this;
    }

    /// <summary>Each field out of its valid range, as "name must be …, got value." (empty when the config is valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        AtLeast(p, "total_timesteps", TotalTimesteps, 1);
        AtLeast(p, "max_episode_steps", MaxEpisodeSteps, 1);
        InRange(p, "gamma", Gamma, 0, 1);
        InRange(p, "start_e", StartE, 0, 1);
        InRange(p, "end_e", EndE, 0, 1);
        InRange(p, "exploration_fraction", ExplorationFraction, 0, 1);
        AtLeast(p, "eval_frequency", EvalFrequency, 1);
        AtLeast(p, "eval_episodes", EvalEpisodes, 1);
        AtLeast(p, "final_eval_episodes", FinalEvalEpisodes, 1);
        if (!double.IsFinite(SolveThreshold))
            p.Add($"solve_threshold must be a finite number, got {Show(SolveThreshold)}.");

        if (Algorithm == Algorithm.Dqn)
            DqnProblems(p);
        else
            TabularProblems(p);
        return p;
    }

    private void DqnProblems(List<string> p)
    {
        if (HiddenSizes is null || HiddenSizes.Count == 0)
        {
            p.Add("hidden_sizes must list at least one hidden layer width, e.g. [128, 128].");
        }
        else
        {
            for (int i = 0; i < HiddenSizes.Count; i++)
            {
                if (HiddenSizes[i] < 1)
                    p.Add($"hidden_sizes[{i}] must be ≥ 1, got {HiddenSizes[i]}.");
            }
        }
        Positive(p, "learning_rate", LearningRate);
        if (MaxGradNorm is { } norm)
            Positive(p, "max_grad_norm", norm);
        AtLeast(p, "n_step", NStep, 1);
        AtLeast(p, "buffer_size", BufferSize, 1);
        AtLeast(p, "batch_size", BatchSize, 1);
        if (BatchSize > BufferSize && BufferSize >= 1)
            p.Add($"batch_size ({BatchSize}) must be ≤ buffer_size ({BufferSize}).");
        AtLeast(p, "learning_starts", LearningStarts, 0);
        if (LearningStarts >= TotalTimesteps && TotalTimesteps >= 1)
            p.Add($"learning_starts ({LearningStarts}) must be < total_timesteps ({TotalTimesteps}), or no gradient step ever happens.");
        AtLeast(p, "train_frequency", TrainFrequency, 1);
        AtLeast(p, "gradient_steps", GradientSteps, 1);
        AtLeast(p, "target_network_frequency", TargetNetworkFrequency, 1);
        if (!(Tau > 0 && Tau <= 1))
            p.Add($"tau must be in (0, 1], got {Show(Tau)}.");
        if (Prioritized)
        {
            if (!(PrioritizedAlpha >= 0) || double.IsInfinity(PrioritizedAlpha))
                p.Add($"prioritized_alpha must be finite and ≥ 0, got {Show(PrioritizedAlpha)}.");
            InRange(p, "prioritized_beta0", PrioritizedBeta0, 0, 1);
            Positive(p, "prioritized_eps", PrioritizedEps);
        }
    }

    private void TabularProblems(List<string> p)
    {
        var t = Tabular;
        if (t is null)
        {
            p.Add("tabular must be given for algorithm qtable.");
            return;
        }
        if (t.Bins is null || t.Low is null || t.High is null || t.Bins.Count == 0)
        {
            p.Add("tabular.bins, tabular.low and tabular.high must each list one entry per observation component.");
        }
        else if (t.Low.Count != t.Bins.Count || t.High.Count != t.Bins.Count)
        {
            p.Add($"tabular.bins, tabular.low and tabular.high must have the same length, got {t.Bins.Count}, {t.Low.Count} and {t.High.Count}.");
        }
        else
        {
            long states = 1;
            for (int i = 0; i < t.Bins.Count; i++)
            {
                if (t.Bins[i] < 1)
                    p.Add($"tabular.bins[{i}] must be ≥ 1, got {t.Bins[i]}.");
                else
                    states = Math.Min(states * t.Bins[i], long.MaxValue / 1024);
                if (!double.IsFinite(t.Low[i]) || !double.IsFinite(t.High[i]) || !(t.Low[i] < t.High[i]))
                    p.Add($"tabular.low[{i}] must be < tabular.high[{i}] (both finite), got {Show(t.Low[i])} and {Show(t.High[i])}.");
            }
            if (states > MaxTabularStates)
                p.Add($"tabular.bins make {states} states; at most {MaxTabularStates} are allowed.");
        }
        if (!(t.Alpha > 0 && t.Alpha <= 1))
            p.Add($"tabular.alpha must be in (0, 1], got {Show(t.Alpha)}.");
    }

    private static void AtLeast(List<string> p, string name, long value, long min)
    {
        if (value < min)
            p.Add($"{name} must be ≥ {min}, got {value}.");
    }

    private static void Positive(List<string> p, string name, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
            p.Add($"{name} must be a finite number > 0, got {Show(value)}.");
    }

    private static void InRange(List<string> p, string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
            p.Add($"{name} must be in [{Show(min)}, {Show(max)}], got {Show(value)}.");
    }

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
