using TinyTorch;
using TinyTorch.Distributions;

namespace PolicyGradient.Tests;

/// <summary>
/// The agent as a policy, one observation at a time (no graph, no allocation) against the autograd forward of the
/// same weights: the greedy action, π(a|s) and V(s); and the sampled policy against <see cref="Categorical.Sample"/>.
/// </summary>
public class AgentPolicyTests
{
    private static (Agent Agent, float[][] Observations) Fixture()
    {
        var rng = new Rng(5);
        var agent = Agent.Create(4, 3, rng, [16, 8]);
        // larger head weights than layer_init's 0.01, so that the actions differ clearly
        foreach (var p in agent.Actor.Parameters())
            for (int i = 0; i < p.Count; i++)
                p.Data[i] = (float)rng.Uniform(-1, 1);
        var observations = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)rng.Uniform(-2, 2)).ToArray()).ToArray();
        return (agent, observations);
    }

    [Test]
    public void ActEvaluateMatchTheAutogradForward()
    {
        var (agent, observations) = Fixture();
        var probabilities = new float[3];
        var actions = new HashSet<int>();
        foreach (float[] o in observations)
        {
            var row = new Tensor([.. o], 1, 4);
            float[] logits = agent.Forward(row).Data;
            double[] expected = Softmax(logits);
            float value = agent.Evaluate(o, probabilities);
            for (int a = 0; a < 3; a++)
                Assert.That(probabilities[a], Is.EqualTo(expected[a]).Within(1e-5));
            Assert.That(value, Is.EqualTo(agent.GetValue(row).Data[0]).Within(1e-5));
            int greedy = agent.Act(o);
            Assert.That(logits[greedy], Is.EqualTo(logits.Max()));
            actions.Add(greedy);
        }
        Assert.That(actions, Has.Count.GreaterThan(1), "the fixture reaches more than one greedy action");
    }

    [Test]
    public void SampledPolicyDrawsAsCategoricalSampleWithTheSameStream()
    {
        var (agent, observations) = Fixture();
        var policy = new SampledPolicy(agent, new Rng(11));
        var reference = new Rng(11);
        var drawn = new int[1];
        var distinct = new HashSet<int>();
        foreach (float[] o in observations)
        {
            new Categorical(agent.Forward(new Tensor([.. o], 1, 4))).Sample(reference, drawn);
            int action = policy.Act(o);
            Assert.That(action, Is.EqualTo(drawn[0]));
            distinct.Add(action);
        }
        Assert.That(distinct, Has.Count.GreaterThan(1));
    }

    private static double[] Softmax(float[] logits)
    {
        double max = logits.Max();
        double[] e = [.. logits.Select(l => Math.Exp(l - max))];
        double sum = e.Sum();
        return [.. e.Select(x => x / sum)];
    }
}
