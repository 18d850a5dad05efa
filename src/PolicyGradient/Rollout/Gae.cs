namespace PolicyGradient.Rollout;

/// <summary>
/// Generalised advantage estimation (Schulman et al., 2016) over a rollout of T steps × N environments, laid out
/// row-major [T, N] (step t of env i at t·N + i), as CleanRL's ppo.py computes it, except at time limits:
/// <code>
/// δₜ = rₜ + γ·V(sₜ₊₁)·(1 − terminatedₜ) − V(sₜ)
/// Âₜ = δₜ + γλ·(1 − doneₜ)·Âₜ₊₁,   doneₜ = terminatedₜ or truncatedₜ
/// Rₜ = Âₜ + V(sₜ)                  (the critic's regression target)
/// </code>
/// A terminated episode has no future: nothing is bootstrapped. A truncated one (a time limit) still has one: with
/// <c>bootstrapTruncation</c> V(sₜ₊₁) is the critic's value of the true final observation of the episode, not of the
/// next episode's first observation; without it, truncation is treated as termination, as CleanRL does. Either way
/// the sum stops at the episode's end (doneₜ), since step t + 1 belongs to another episode.
/// </summary>
public static class Gae
{
    /// <summary>
    /// Writes the advantages Â and the returns R = Â + V, each [T, N].
    /// </summary>
    /// <param name="rewards">rₜ [T, N].</param>
    /// <param name="values">V(sₜ) [T, N], the critic's values at acting time.</param>
    /// <param name="terminated">[T, N]: the episode ended at step t by a terminal state.</param>
    /// <param name="truncated">[T, N]: the episode ended at step t by a time limit (and not by a terminal state).</param>
    /// <param name="finalValues">[T, N]: V of the true final observation where <paramref name="truncated"/> is set; read nowhere else.</param>
    /// <param name="nextValues">[N]: V(s_T), the value of the observation after the rollout's last step.</param>
    /// <param name="gamma">γ, the discount.</param>
    /// <param name="lambda">λ, GAE's trade-off between bias (0: one-step TD) and variance (1: Monte-Carlo).</param>
    /// <param name="bootstrapTruncation">Bootstrap from <paramref name="finalValues"/> on truncation (true) or treat it as termination (CleanRL).</param>
    /// <param name="advantages">Output Â [T, N].</param>
    /// <param name="returns">Output R [T, N].</param>
    /// <exception cref="ArgumentException">When the spans do not all have T·N (or N) elements.</exception>
    public static void Compute(ReadOnlySpan<float> rewards, ReadOnlySpan<float> values, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated,
        ReadOnlySpan<float> finalValues, ReadOnlySpan<float> nextValues, float gamma, float lambda, bool bootstrapTruncation,
        Span<float> advantages, Span<float> returns)
    {
        int n = nextValues.Length;
        if (n == 0 || rewards.Length % n != 0)
            throw new ArgumentException($"GAE: rewards has {rewards.Length} elements, not a whole number of steps of {n} environments (nextValues has one per environment).");
        int size = rewards.Length;
        foreach (var (name, length) in new[] { ("values", values.Length), ("terminated", terminated.Length), ("truncated", truncated.Length),
            ("finalValues", finalValues.Length), ("advantages", advantages.Length), ("returns", returns.Length) })
            if (length != size)
                throw new ArgumentException($"GAE: {name} has {length} elements; expected {size} ([T, N] like rewards).");

        for (int i = 0; i < n; i++)
        {
            float nextAdvantage = 0;          // Âₜ₊₁ of the same episode
            float nextValue = nextValues[i];  // V(sₜ₊₁)
            for (int k = size - n + i; k >= 0; k -= n)
            {
                bool done = terminated[k] || truncated[k];
                // V(sₜ₊₁)·(1 − terminatedₜ): 0 after a terminal state; after a time limit the final observation's value
                // (or 0, as CleanRL, without bootstrapping)
                float bootstrap = terminated[k] ? 0f
                    : truncated[k] ? (bootstrapTruncation ? finalValues[k] : 0f)
                    : nextValue;
                // δₜ = rₜ + γ·V(sₜ₊₁)·(1 − terminatedₜ) − V(sₜ)
                float delta = rewards[k] + gamma * bootstrap - values[k];
                // Âₜ = δₜ + γλ·(1 − doneₜ)·Âₜ₊₁
                float advantage = delta + gamma * lambda * (done ? 0f : nextAdvantage);
                advantages[k] = advantage;
                // Rₜ = Âₜ + V(sₜ)
                returns[k] = advantage + values[k];
                nextAdvantage = advantage;
                nextValue = values[k];
            }
        }
    }
}
