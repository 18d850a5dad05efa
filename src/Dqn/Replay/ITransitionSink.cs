namespace Dqn.Replay;

/// <summary>
/// Where finished transitions go: the uniform <see cref="ReplayBuffer"/> or the <see cref="PrioritizedReplayBuffer"/>.
/// The <see cref="NStepAccumulator"/> writes its n-step transitions into one of these.
/// </summary>
internal interface ITransitionSink
{
    /// <summary>
    /// Stores (s, a, R, s′, terminated, discount). The learning target built from it is
    /// y = R + discount · (1 − terminated) · max_a′ Q(s′, a′), so <paramref name="discount"/> is γ for a 1-step
    /// transition and γⁿ for an n-step one.
    /// </summary>
    void Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation,
        bool terminated, float discount);
}
