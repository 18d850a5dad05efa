using Dqn.Replay;

namespace Dqn.Tests.Fakes;

/// <summary>Keeps every transition written to it, for checking what an accumulator emits.</summary>
public sealed class RecordingSink : ITransitionSink
{
    public sealed record Transition(float[] Observation, int Action, float Reward, float[] NextObservation, bool Terminated, float Discount);

    public List<Transition> Transitions { get; } = [];

    public void Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation,
        bool terminated, float discount) =>
        Transitions.Add(new Transition(observation.ToArray(), action, reward, nextObservation.ToArray(), terminated, discount));
}
