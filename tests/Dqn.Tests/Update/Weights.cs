using TinyTorch;
using TinyTorch.Nn;

namespace Dqn.Tests.Update;

/// <summary>Weight comparisons with the reference data's tolerance: |actual − expected| ≤ 1e-5 + 1e-4·|expected|.</summary>
internal static class Weights
{
    public static bool Close(float actual, float expected) => Math.Abs(actual - expected) <= 1e-5 + 1e-4 * Math.Abs(expected);

    public static void AssertClose(Sequential network, IReadOnlyDictionary<string, Tensor> expected, string context)
    {
        var actual = network.StateDict();
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys), $"{context}: state-dict keys");
        foreach (var (key, value) in actual)
        {
            float[] want = expected[key].Data;
            Assert.That(value.Shape.ToArray(), Is.EqualTo(expected[key].Shape.ToArray()), $"{context}: shape of {key}");
            for (int i = 0; i < want.Length; i++)
                if (!Close(value.Data[i], want[i]))
                    Assert.Fail($"{context}: {key}[{i}] is {value.Data[i]:R}, expected {want[i]:R}");
        }
    }

    /// <summary>The largest |after − before| over all parameters: an update that moves nothing would make comparisons vacuous.</summary>
    public static double LargestChange(IReadOnlyDictionary<string, Tensor> before, Sequential after)
    {
        double largest = 0;
        foreach (var (key, value) in after.StateDict())
            for (int i = 0; i < value.Count; i++)
                largest = Math.Max(largest, Math.Abs(value.Data[i] - before[key].Data[i]));
        return largest;
    }

    /// <summary>A snapshot of the network's parameters.</summary>
    public static Dictionary<string, Tensor> Snapshot(Sequential network) =>
        network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
}
