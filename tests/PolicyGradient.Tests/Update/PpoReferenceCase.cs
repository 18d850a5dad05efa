using System.Text.Json;
using PolicyGradient.Update;
using TinyTorch.IO;

namespace PolicyGradient.Tests.Update;

/// <summary>One folder of tests/data/reference/ppo: the hyperparameters and step statistics of case.json, and its files.</summary>
internal sealed record PpoReferenceCase(string Name, string Folder, PpoLossConfig Config, double Lr, double AdamEps, int Steps, PpoStats[] StepsStats, string[] Args)
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "data", "reference", "ppo");

    public static IEnumerable<string> Names() =>
        Directory.GetDirectories(Root).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal);

    public static PpoReferenceCase Load(string name)
    {
        string folder = Path.Combine(Root, name);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "case.json")));
        JsonElement root = json.RootElement;
        JsonElement maxGradNorm = root.GetProperty("max_grad_norm");
        var config = new PpoLossConfig
        {
            ClipCoef = root.GetProperty("clip_coef").GetDouble(),
            EntCoef = root.GetProperty("ent_coef").GetDouble(),
            VfCoef = root.GetProperty("vf_coef").GetDouble(),
            MaxGradNorm = maxGradNorm.ValueKind == JsonValueKind.Null ? null : maxGradNorm.GetDouble(),
            NormAdv = root.GetProperty("norm_adv").GetBoolean(),
            ClipVloss = root.GetProperty("clip_vloss").GetBoolean(),
        };
        PpoStats[] stats = [.. root.GetProperty("steps_stats").EnumerateArray().Select(s => new PpoStats(
            s.GetProperty("loss").GetSingle(), s.GetProperty("pg_loss").GetSingle(), s.GetProperty("v_loss").GetSingle(),
            s.GetProperty("entropy").GetSingle(), s.GetProperty("approx_kl").GetSingle(), s.GetProperty("clipfrac").GetSingle()))];
        string[] args = [.. root.GetProperty("args").EnumerateArray().Select(a => a.GetString()!)];
        return new PpoReferenceCase(name, folder, config, root.GetProperty("lr").GetDouble(), root.GetProperty("adam_eps").GetDouble(),
            root.GetProperty("steps").GetInt32(), stats, args);
    }

    public string PathOf(string file) => Path.Combine(Folder, file);

    public PpoBatch Batch() => PpoBatch.FromFile(SafetensorsFile.Read(PathOf("batch.safetensors")));

    /// <summary>The reference tolerance: |actual − expected| ≤ 1e-5 + 1e-4·|expected|.</summary>
    public static void AssertClose(double actual, double expected, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(1e-5 + 1e-4 * Math.Abs(expected)), what);

    public static void AssertStats(PpoStats actual, PpoStats expected, string what)
    {
        AssertClose(actual.Loss, expected.Loss, $"{what} loss");
        AssertClose(actual.PgLoss, expected.PgLoss, $"{what} pg_loss");
        AssertClose(actual.VLoss, expected.VLoss, $"{what} v_loss");
        AssertClose(actual.Entropy, expected.Entropy, $"{what} entropy");
        AssertClose(actual.ApproxKl, expected.ApproxKl, $"{what} approx_kl");
        AssertClose(actual.ClipFrac, expected.ClipFrac, $"{what} clipfrac");
    }
}
