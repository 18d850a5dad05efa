using System.Text.RegularExpressions;
using PolicyGradient.Training;
using TinyTorch.IO;
using Training.Config;
using Training.Runs;

namespace PolicyGradient.Tests.Training;

/// <summary>
/// model.safetensors of a PPO run is CleanRL's Agent state dict: the keys and shapes of a trained file are exactly those
/// of the Agent class in docs/PPO.md's PyTorch snippet, parsed from the doc (so the snippet cannot drift from the files).
/// </summary>
public partial class ModelFileTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "scratchrl-pg-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void ATrainedModelHasTheKeysAndShapesOfTheDocsAgent()
    {
        // One iteration of the ppo preset (4 envs × 128 steps, 64-64 actor and critic).
        var config = Presets.Get("ppo") with { TotalTimesteps = 512, EvalFrequency = 512, EvalEpisodes = 1, FinalEvalEpisodes = 1, HeldoutEpisodes = 1 };
        var result = TrainingRun.Create(PolicyGradientTrainers.Instance, config, _folder, "ppo").Run();
        var file = SafetensorsFile.Read(result.ModelPath);
        var actual = file.Entries.ToDictionary(e => e.Name, e => e.Shape.ToArray());

        string snippet = DocSnippet();
        var expected = SnippetStateDict(snippet);
        Assert.That(expected.Keys, Has.Count.EqualTo(12), "the snippet's Agent has 3 Linear layers in each part");
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (key, shape) in expected)
            Assert.That(actual[key], Is.EqualTo(shape), key);
        Assert.That(file.Entries.Select(e => e.DType.ToString()), Has.All.EqualTo("F32"));
        Assert.That(snippet, Does.Contain("agent.load_state_dict(load_file("));
        Assert.That(file.Metadata!["algorithm"], Is.EqualTo("ppo"));
        Assert.That(file.Metadata["format"], Is.EqualTo(AgentModelFile.Format));

        // and it reads back as the agent that was kept
        var agent = AgentModelFile.Load(file, result.ModelPath);
        var kept = PolicyGradientState.Load(Path.Combine(_folder, TrainingRun.CheckpointFileName), 4, 2).Best;
        Assert.That(PgFixtures.Bits(agent), Is.EqualTo(PgFixtures.Bits(kept)));
    }

    /// <summary>
    /// nn.Sequential numbers its modules from 0, so each <c>nn.Linear(in, out)</c> at index i of <c>self.actor</c> gives
    /// <c>actor.i.weight</c> [out, in] and <c>actor.i.bias</c> [out]; every <c>nn.Tanh()</c> takes an index and no key.
    /// </summary>
    private static Dictionary<string, int[]> SnippetStateDict(string snippet)
    {
        var keys = new Dictionary<string, int[]>();
        foreach (Match part in SequentialRegex().Matches(snippet))
        {
            string name = part.Groups["name"].Value;
            int index = 0;
            foreach (Match module in ModuleRegex().Matches(part.Groups["body"].Value))
            {
                if (module.Groups["in"].Success)
                {
                    int @in = int.Parse(module.Groups["in"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    int @out = int.Parse(module.Groups["out"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    keys[$"{name}.{index}.weight"] = [@out, @in];
                    keys[$"{name}.{index}.bias"] = [@out];
                }
                index++;
            }
        }
        return keys;
    }

    /// <summary>The ```python block of docs/PPO.md that follows the line "&lt;!-- agent snippet --&gt;".</summary>
    private static string DocSnippet()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "PPO.md")).ReplaceLineEndings("\n");
        int marker = doc.IndexOf("<!-- agent snippet -->", StringComparison.Ordinal);
        Assert.That(marker, Is.GreaterThanOrEqualTo(0), "docs/PPO.md marks its PyTorch snippet with <!-- agent snippet -->");
        int start = doc.IndexOf("```python\n", marker, StringComparison.Ordinal) + "```python\n".Length;
        return doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScratchRl.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No ScratchRl.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"self\.(?<name>actor|critic)\s*=\s*nn\.Sequential\((?<body>.*?)\n\s*\)", RegexOptions.Singleline)]
    private static partial Regex SequentialRegex();

    [GeneratedRegex(@"nn\.Linear\((?<in>\d+),\s*(?<out>\d+)\)|nn\.Tanh\(\)")]
    private static partial Regex ModuleRegex();
}
