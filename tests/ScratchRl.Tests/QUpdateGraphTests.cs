using System.Xml.Linq;
using ScratchRl.Cli;

namespace ScratchRl.Tests;

/// <summary><c>scratchrl q-update --graph FILE</c>: the update's autograd graph as SVG or DOT, chosen by the extension.</summary>
public class QUpdateGraphTests
{
    private static readonly string[] Args =
        ["q-update", "--weights", "weights.safetensors", "--target-weights", "target.safetensors", "--batch", "batch.safetensors", "--out", "out.safetensors"];

    [Test]
    public void SvgNamesTheOpsWithShapesAndTheUpdateIsUnchanged()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        var (plainCode, _, plainErr) = CliRun.Run(folder.Folder, Args);
        Assert.That(plainCode, Is.EqualTo(ScratchRlApp.Success), plainErr);
        byte[] plain = File.ReadAllBytes(folder.PathOf("out.safetensors"));

        var (code, _, stderr) = CliRun.Run(folder.Folder, [.. Args, "--graph", "g.svg"]);

        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        Assert.That(File.ReadAllBytes(folder.PathOf("out.safetensors")), Is.EqualTo(plain), "drawing the graph does not change the update");
        XNamespace ns = "http://www.w3.org/2000/svg";
        XDocument svg = XDocument.Load(folder.PathOf("g.svg"));
        var nodes = svg.Descendants(ns + "g").Where(g => ((string?)g.Attribute("class"))?.StartsWith("node", StringComparison.Ordinal) == true)
            .Select(g => string.Join(" | ", g.Elements(ns + "text").Select(t => t.Value))).ToList();
        Assert.That(nodes, Has.Some.Matches(@"^GatherBackward \| \[\d+\] \| ‖grad‖ = "));
        Assert.That(nodes, Has.Some.Matches(@"^ReluBackward \| \[\d+, \d+\] \| ‖grad‖ = "));
        Assert.That(nodes, Has.Some.Matches(@"^(SmoothL1Loss|MseLoss)Backward \| \[\d+\] \| ‖grad‖ = "), "the per-sample losses ℓ(δᵢ)");
        Assert.That(nodes, Has.Some.Matches(@"^MeanBackward \| \[\] \| ‖grad‖ = 1$"), "L = mean(wᵢ·ℓ(δᵢ)), where backward starts");
        Assert.That(nodes, Has.Some.StartsWith("0.weight | ["));
        Assert.That(nodes, Has.Some.StartsWith("obs | [").And.Some.EndsWith("no grad"));
    }

    [Test]
    public void DotExtensionWritesADigraph()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        var (code, _, stderr) = CliRun.Run(folder.Folder, [.. Args, "--graph", "g.dot"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.Success), stderr);
        string dot = File.ReadAllText(folder.PathOf("g.dot"));
        Assert.That(dot, Does.StartWith("digraph autograd {").And.Contain("GatherBackward\\n[").And.Contain("ReluBackward"));
    }

    [Test]
    public void AnotherExtensionIsAUsageError()
    {
        using var folder = QUpdateCaseFolder.Copy("case00");
        var (code, _, stderr) = CliRun.Run(folder.Folder, [.. Args, "--graph", "g.png"]);
        Assert.That(code, Is.EqualTo(ScratchRlApp.UsageError));
        Assert.That(stderr.Trim(), Does.Contain("--graph must name a .svg or .dot file, got 'g.png'").And.Not.Contain("\n"));
        Assert.That(File.Exists(folder.PathOf("out.safetensors")), Is.False, "nothing is written on a usage error");
    }
}
