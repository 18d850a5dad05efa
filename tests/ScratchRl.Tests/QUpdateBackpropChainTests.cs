using System.Globalization;
using System.Text.RegularExpressions;
using ScratchRl.Cli;
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;

namespace ScratchRl.Tests;

/// <summary>
/// <c>q-update --explain</c> writes backward out module by module for one row: every number it prints there (the
/// gradient at each module's output and input, the inputs themselves, the weight gradients) must be what autograd gives
/// for that row alone, on networks of several depths, plain and dueling.
/// </summary>
public partial class QUpdateBackpropChainTests
{
    private static readonly string[] CaseZeroArgs =
        ["q-update", "--weights", "weights.safetensors", "--target-weights", "target.safetensors", "--batch", "batch.safetensors", "--out", "out.safetensors", "--explain"];

    [TestCase("case00", null, false)]
    [TestCase("case01", null, false)]
    [TestCase("case00", new[] { 4, 17, 5, 33, 3 }, true)]
    [TestCase("case02", new[] { 3, 9, 2 }, false)]
    public void EveryPrintedNumberIsAutogradsGradientForThatRow(string caseName, int[]? sizes, bool dueling)
    {
        using var folder = QUpdateCaseFolder.Copy(caseName);
        if (sizes is not null)
        {
            var rng = new Rng(11);
            var metadata = new Dictionary<string, string> { ["dueling"] = dueling ? "true" : "false" };
            Safetensors.SaveStateDict(folder.PathOf("weights.safetensors"), Sequential.Mlp(rng, sizes).StateDict(), metadata);
            Safetensors.SaveStateDict(folder.PathOf("target.safetensors"), Sequential.Mlp(rng, sizes).StateDict(), metadata);
        }
        var (code, stdout, stderr) = CliRun.Run(folder.Folder, [.. CaseZeroArgs, "--double", "--loss", "mse"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        string[] lines = stdout.Split('\n');
        int start = Array.FindIndex(lines, l => l.Contains("alone (the largest share", StringComparison.Ordinal));
        string[] chain = [.. lines.Skip(start).TakeWhile(l => !l.StartsWith("   Over the whole batch", StringComparison.Ordinal))];
        int row = int.Parse(RowNumber().Match(chain[0]).Groups[1].Value, CultureInfo.InvariantCulture);
        Match start2 = Start().Match(chain[1]);
        float g = float.Parse(start2.Groups[1].Value, CultureInfo.InvariantCulture);
        int action = int.Parse(start2.Groups[2].Value, CultureInfo.InvariantCulture);

        // Autograd on that row alone: L_row = g·Q(s, a), every intermediate kept.
        Sequential network = Sequential.MlpFromStateDict(Safetensors.LoadStateDict(folder.PathOf("weights.safetensors")));
        SafetensorsEntry obs = SafetensorsFile.Read(folder.PathOf("batch.safetensors"))["obs"];
        int d = obs.Shape[1];
        var inputs = new Tensor[network.Count];
        Tensor x = new Tensor(obs.ToFloat32Array()[(row * d)..((row + 1) * d)], 1, d).RequiresGrad_();
        for (int k = 0; k < network.Count; k++)
        {
            inputs[k] = x;
            x = network[k].Forward(x);
            x.RetainGrad();
        }
        Tensor output = x;
        Tensor q = output;
        if (dueling)
        {
            Tensor a = output.Narrow(1, 1, output.Size(1) - 1);
            q = output.Narrow(1, 0, 1) + a - a.Mean(1, keepdim: true);
            q.RetainGrad();
        }
        (q.Gather(1, [action]) * g).Sum().Backward();

        int at = 2;
        AssertVector(Vector(chain[at++], "gather: ∂L/∂Q(s,·) = "), q.Grad!.Data, "∂L/∂Q(s,·)");
        if (dueling)
            AssertVector(Vector(chain[at++], "dueling head: ∂L/∂(V, A) = "), output.Grad!.Data, "∂L/∂(V, A)");
        int checkedModules = 0;
        for (int k = network.Count - 1; k >= 0; k--, checkedModules++)
        {
            string name = k.ToString(CultureInfo.InvariantCulture);
            Tensor moduleOutput = k + 1 < network.Count ? inputs[k + 1] : output;
            if (network[k] is ReLU)
            {
                string relu = chain[at++];
                AssertVector(Vector(relu, "z = "), inputs[k].Data, $"module {k}: z");
                AssertVector(Vector(relu, "⊙ [z > 0] = "), inputs[k].Grad!.Data, $"module {k}: ∂L/∂z");
                continue;
            }
            var linear = (Linear)network[k];
            AssertVector(Vector(chain[at++], $"∂L/∂{name}.bias = "), linear.Bias!.Grad!.Data, $"module {k}: ∂L/∂z = ∂L/∂b");
            AssertVector(moduleOutput.Grad!.Data, linear.Bias.Grad.Data, $"module {k}: autograd's ∂L/∂z and ∂L/∂b");
            string weights = chain[at++];
            AssertVector(Vector(weights, "x = "), inputs[k].Data, $"module {k}: x");
            float[] weightGrad = linear.Weight.Grad!.Data;
            Match entry = WeightEntry().Match(weights);
            if (entry.Success)
            {
                int o = int.Parse(entry.Groups[1].Value, CultureInfo.InvariantCulture), i = int.Parse(entry.Groups[2].Value, CultureInfo.InvariantCulture);
                double printed = double.Parse(entry.Groups[3].Value, CultureInfo.InvariantCulture);
                AssertNumber(printed, weightGrad[o * linear.InFeatures + i], weightGrad.Max(Math.Abs), $"module {k}: ∂L/∂W[{o}, {i}]");
            }
            else
            {
                AssertVector(Vector(weights, "⊗ x = "), weightGrad, $"module {k}: ∂L/∂W");
            }
            AssertVector(Vector(chain[at++], "∂L/∂x = Wᵀ·∂L/∂z = "), inputs[k].Grad!.Data, $"module {k}: ∂L/∂x");
        }
        Assert.That(checkedModules, Is.EqualTo(network.Count));
        Assert.That(at, Is.EqualTo(chain.Length), "every line of the chain was checked");
    }

    /// <summary>The numbers of the bracketed list after <paramref name="label"/> (a matrix flattened), and how many it left out.</summary>
    private static (double[] Shown, int Omitted) Vector(string line, string label)
    {
        int start = line.IndexOf(label, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"'{label}' in: {line}");
        start += label.Length;
        int depth = 0, end = start;
        do
        {
            depth += line[end] == '[' ? 1 : line[end] == ']' ? -1 : 0;
            end++;
        }
        while (depth > 0);
        string list = line[start..end];
        Match more = More().Match(list);
        string numbers = more.Success ? list[..more.Index] : list;
        double[] shown = [.. numbers.Split([',', '[', ']', ' '], StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, CultureInfo.InvariantCulture))];
        return (shown, more.Success ? int.Parse(more.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    private static void AssertVector((double[] Shown, int Omitted) printed, float[] expected, string what)
    {
        Assert.That(printed.Shown.Length + printed.Omitted, Is.EqualTo(expected.Length), $"{what}: length");
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < printed.Shown.Length; i++)
            AssertNumber(printed.Shown[i], expected[i], scale, $"{what}[{i}]");
    }

    private static void AssertVector(float[] actual, float[] expected, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(1e-6 * expected.Max(Math.Abs) + 1e-12), what);

    /// <summary>7 printed digits: within 1e-6 relative, or 1e-6 of the largest value of its vector.</summary>
    private static void AssertNumber(double printed, double expected, double scale, string what) =>
        Assert.That(printed, Is.EqualTo(expected).Within(1e-6 * Math.Abs(expected) + 1e-6 * scale + 1e-12), what);

    [GeneratedRegex(@"Row (\d+) alone")]
    private static partial Regex RowNumber();

    [GeneratedRegex(@"∂L/∂Q\(s,a\) = (\S+) \(a = (\d+)\)")]
    private static partial Regex Start();

    [GeneratedRegex(@"\.weight\[(\d+), (\d+)\] = .* = (\S+) \(")]
    private static partial Regex WeightEntry();

    [GeneratedRegex(@", … (\d+) more\]$")]
    private static partial Regex More();
}
