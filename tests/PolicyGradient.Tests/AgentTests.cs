using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;

namespace PolicyGradient.Tests;

/// <summary>CleanRL's Agent: its state-dict keys, its layer_init, and loading and saving as safetensors.</summary>
public class AgentTests
{
    [Test]
    public void HasCleanRlsAgentKeysActorFirst()
    {
        Agent agent = Agent.Create(4, 2, new Rng(1), [64, 64]);
        Assert.That(agent.StateDict().Keys, Is.EqualTo(new[]
        {
            "actor.0.weight", "actor.0.bias", "actor.2.weight", "actor.2.bias", "actor.4.weight", "actor.4.bias",
            "critic.0.weight", "critic.0.bias", "critic.2.weight", "critic.2.bias", "critic.4.weight", "critic.4.bias",
        }));
        Assert.That(agent.StateDict()["actor.4.weight"].Shape.ToArray(), Is.EqualTo(new[] { 2, 64 }));
        Assert.That(agent.StateDict()["critic.4.weight"].Shape.ToArray(), Is.EqualTo(new[] { 1, 64 }));
        Assert.That(agent.Actor[1], Is.InstanceOf<Tanh>());
    }

    [Test]
    public void LayerInitGivesOrthogonalWeightsWithCleanRlsGainsAndZeroBiases()
    {
        Agent agent = Agent.Create(4, 2, new Rng(2), [64, 64]);
        var state = agent.StateDict();
        // gain² on the diagonal of W·Wᵀ (wide) or Wᵀ·W (tall): √2 for hidden layers, 0.01 for the actor's head, 1 for the critic's
        AssertGramIsGainSquaredIdentity(state["actor.0.weight"], 2);
        AssertGramIsGainSquaredIdentity(state["actor.2.weight"], 2);
        AssertGramIsGainSquaredIdentity(state["actor.4.weight"], 1e-4);
        AssertGramIsGainSquaredIdentity(state["critic.2.weight"], 2);
        AssertGramIsGainSquaredIdentity(state["critic.4.weight"], 1);
        foreach (var (key, value) in state)
            if (key.EndsWith(".bias", StringComparison.Ordinal))
                Assert.That(value.Data, Has.All.EqualTo(0f), key);
    }

    [Test]
    public void SavesAndLoadsUnchanged()
    {
        Agent agent = Agent.Create(5, 3, new Rng(3), [7]);
        string path = Path.Combine(Path.GetTempPath(), $"agent-{Guid.NewGuid():N}.safetensors");
        try
        {
            agent.Save(path);
            Agent loaded = Agent.Load(path);
            Assert.That(Agent.Describe(loaded.Actor), Is.EqualTo("5-7-3"));
            Assert.That(Agent.Describe(loaded.Critic), Is.EqualTo("5-7-1"));
            foreach (var (key, value) in agent.StateDict())
                Assert.That(loaded.StateDict()[key].Data, Is.EqualTo(value.Data), key);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ActorAndCriticMayHaveDifferentDepths()
    {
        var rng = new Rng(4);
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, v) in new Sequential(new Linear(3, 5, rng), new Tanh(), new Linear(5, 2, rng)).StateDict())
            state["actor." + k] = v;
        foreach (var (k, v) in new Sequential(new Linear(3, 1, rng)).StateDict())
            state["critic." + k] = v;
        Agent agent = Agent.FromStateDict(state);
        Assert.That((agent.ObservationSize, agent.ActionCount), Is.EqualTo((3, 2)));
        Assert.That(Agent.Describe(agent.Critic), Is.EqualTo("3-1"));
    }

    [Test]
    public void RejectsStateDictsThatAreNotAnAgent()
    {
        var rng = new Rng(5);
        var actorOnly = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, v) in Agent.Create(4, 2, rng, [8]).StateDict())
            if (k.StartsWith("actor.", StringComparison.Ordinal))
                actorOnly[k] = v;
        Assert.That(() => Agent.FromStateDict(actorOnly), Throws.ArgumentException.With.Message.Contains("no 'critic.' keys"));

        var twoValues = new Dictionary<string, Tensor>(actorOnly, StringComparer.Ordinal)
        {
            ["critic.0.weight"] = Torch.Zeros(2, 4),
            ["critic.0.bias"] = Torch.Zeros(2),
        };
        Assert.That(() => Agent.FromStateDict(twoValues), Throws.ArgumentException.With.Message.Contains("the critic must have one output"));
    }

    private static void AssertGramIsGainSquaredIdentity(Tensor w, double gainSquared)
    {
        int rows = w.Size(0), cols = w.Size(1);
        bool wide = rows <= cols;
        int k = wide ? rows : cols, n = wide ? cols : rows;
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++)
                    dot += wide ? (double)w[a, i] * w[b, i] : (double)w[i, a] * w[i, b];
                Assert.That(dot, Is.EqualTo(a == b ? gainSquared : 0).Within(1e-5 * Math.Max(gainSquared, 1e-2)));
            }
    }
}
