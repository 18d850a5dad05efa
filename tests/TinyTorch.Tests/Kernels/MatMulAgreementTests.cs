using MathNet.Numerics;
using TinyTorch.Kernels;

namespace TinyTorch.Tests.Kernels;

/// <summary>Every kernel × every product form × accumulate on/off agrees with MathNet on awkward shapes.</summary>
public class MatMulAgreementTests
{
    private static readonly MatMulKernel[] Kernels = Enum.GetValues<MatMulKernel>();

    /// <summary>
    /// (m, k, n): cubes of awkward sizes (vector widths ± 1, tile heights ± 1), all-different mixes,
    /// the skinny shapes of a 4-H-H-2 DQN (k = 4, n = 2, m = 1, ...), few-row shapes with ragged column edges, and empty dimensions.
    /// </summary>
    private static readonly (int M, int K, int N)[] Shapes =
    [
        (1, 1, 1), (2, 2, 2), (3, 3, 3), (7, 7, 7), (17, 17, 17), (33, 33, 33), (65, 65, 65), (130, 130, 130),
        (1, 7, 3), (3, 1, 7), (7, 3, 1), (2, 17, 33), (33, 2, 17), (17, 33, 2), (65, 7, 130), (130, 65, 7), (7, 130, 65),
        (9, 33, 17), (17, 9, 65), (130, 17, 33),
        (1, 4, 128), (128, 4, 128), (128, 128, 2), (128, 2, 128), (2, 128, 128), (128, 128, 4), (1, 128, 128),
        (1, 128, 2), (64, 4, 2), (4, 64, 1), (1, 3, 1), (16, 16, 16), (8, 32, 32),
        (1, 33, 13), (1, 65, 130), (3, 9, 130), (4, 300, 70), (2, 5, 65),
        (0, 3, 4), (3, 0, 4), (3, 4, 0),
    ];

    [OneTimeSetUp]
    public void UseManagedMathNet() => Control.UseManaged();

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (MatMulForm form in Enum.GetValues<MatMulForm>())
            foreach (var (m, k, n) in Shapes)
                yield return new TestCaseData(form, m, k, n).SetArgDisplayNames($"{form}", $"m={m}", $"k={k}", $"n={n}");
    }

    [TestCaseSource(nameof(Cases))]
    public void AgreesWithMathNet(MatMulForm form, int m, int k, int n)
    {
        var problem = new MatMulProblem(form, m, k, n, seed: (ulong)(m * 1_000_003 + k * 1009 + n) ^ (ulong)form);
        Assert.Multiple(() =>
        {
            foreach (MatMulKernel kernel in Kernels)
                foreach (bool accumulate in new[] { false, true })
                    Assert.That(problem.FirstMismatch(problem.Run(kernel, accumulate), accumulate), Is.Null,
                        $"{kernel}, accumulate={accumulate}");
        });
    }

    /// <summary>
    /// Every size from 1 to 70 in four families, so each kernel's bodies and tails (vector widths 4 to 64, tile heights
    /// 1 to 8) all run: cubes, mixed shapes, the few-column dot-product path (n = 2) and the one-row path (m = 1);
    /// then one operand over 17,000 elements.
    /// </summary>
    private static IEnumerable<TestCaseData> Sweep()
    {
        foreach (MatMulForm form in Enum.GetValues<MatMulForm>())
        {
            var shapes = Enumerable.Range(1, 70)
                .SelectMany(s => new[] { (s, s, s), (s, 71 - s, 29 * s % 70 + 1), (s, 40, 2), (1, s + 15, s) })
                .Append((33, 520, 37));
            yield return new TestCaseData(form, shapes.ToArray()).SetArgDisplayNames($"{form}");
        }
    }

    [TestCaseSource(nameof(Sweep))]
    public void EverySizeFrom1To70AgreesWithMathNet(MatMulForm form, (int M, int K, int N)[] shapes)
    {
        foreach (var (m, k, n) in shapes)
        {
            var problem = new MatMulProblem(form, m, k, n, seed: (ulong)(m * 7919 + k * 31 + n));
            foreach (MatMulKernel kernel in Kernels.Where(x => x != MatMulKernel.Naive))
                foreach (bool accumulate in new[] { false, true })
                {
                    string? mismatch = problem.FirstMismatch(problem.Run(kernel, accumulate), accumulate);
                    if (mismatch is not null)
                        Assert.Fail($"{kernel}, {form}, m={m}, k={k}, n={n}, accumulate={accumulate}: {mismatch}");
                }
        }
    }

    /// <summary>
    /// One shape large enough that the 512-bit kernel packs A and B and crosses every cache-block boundary
    /// (k over KC, m over MC, row and column edges inside the last blocks), and the 256-bit kernel's depth blocks too;
    /// the naive loops sit this one out.
    /// </summary>
    [TestCase(MatMulForm.AB)]
    [TestCase(MatMulForm.AtB)]
    [TestCase(MatMulForm.ABt)]
    public void LargeShapeCrossesCacheBlocks(MatMulForm form)
    {
        const int m = 300, k = 520, n = 420;
        Assert.That((long)m * k * n, Is.GreaterThanOrEqualTo(MatMulVector512.PackAThreshold), "shape must take the packed path");
        Assert.That(k, Is.GreaterThan(MatMulVector512.KC));
        Assert.That(k, Is.GreaterThan(MatMulVector256.KC));
        Assert.That(m, Is.GreaterThan(MatMulVector512.MC));
        var problem = new MatMulProblem(form, m, k, n, seed: 2024);
        Assert.Multiple(() =>
        {
            foreach (MatMulKernel kernel in Kernels.Where(x => x != MatMulKernel.Naive))
                foreach (bool accumulate in new[] { false, true })
                    Assert.That(problem.FirstMismatch(problem.Run(kernel, accumulate), accumulate), Is.Null,
                        $"{kernel}, accumulate={accumulate}");
        });
    }

    /// <summary>More columns than one nc block of B, so the outermost blocking loop runs twice.</summary>
    [TestCase(MatMulForm.AB)]
    [TestCase(MatMulForm.ABt)]
    public void WideShapeCrossesColumnBlocks(MatMulForm form)
    {
        const int m = 9, k = 20, n = MatMulVector512.NC + 37;
        var problem = new MatMulProblem(form, m, k, n, seed: 77);
        foreach (bool accumulate in new[] { false, true })
            Assert.That(problem.FirstMismatch(problem.Run(MatMulKernel.Vector512, accumulate), accumulate), Is.Null,
                $"accumulate={accumulate}");
    }
}
