using TinyTorch.Kernels;

namespace TinyTorch.Tests.Kernels;

/// <summary>
/// Products above <see cref="MatMulThreads.MinFlops"/> split across two threads: within rounding of MathNet, and equal
/// to the one-thread result to the bit (each element's sum keeps its order), for every kernel and form, with and
/// without accumulation, with row counts that do not fall on the 8-row cuts, and depths past one KC block.
/// </summary>
[NonParallelizable]
public class MatMulThreadsTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        (int M, int K, int N)[] shapes = [(200, 150, 140), (67, 260, 231), (1_000, 1_400, 3)];
        foreach (MatMulKernel kernel in Enum.GetValues<MatMulKernel>())
            foreach (MatMulForm form in Enum.GetValues<MatMulForm>())
                foreach (var (m, k, n) in shapes)
                    yield return new TestCaseData(kernel, form, m, k, n).SetArgDisplayNames(kernel.ToString(), form.ToString(), $"{m}x{k}x{n}");
    }

    [TestCaseSource(nameof(Cases))]
    public void TwoThreadsGiveTheOneThreadBits(MatMulKernel kernel, MatMulForm form, int m, int k, int n)
    {
        Assert.That(2.0 * m * k * n, Is.GreaterThanOrEqualTo(MatMulThreads.MinFlops), "the shape must be large enough to split");
        var problem = new MatMulProblem(form, m, k, n, seed: (ulong)(m + k + n));
        foreach (bool accumulate in new[] { false, true })
        {
            float[] one = problem.Run(kernel, accumulate);
            long splitsBefore = MatMulThreads.SplitCount;
            float[] two;
            Torch.SetNumThreads(2);
            try
            {
                two = problem.Run(kernel, accumulate);
            }
            finally
            {
                Torch.SetNumThreads(1);
            }
            Assert.Multiple(() =>
            {
                Assert.That(MatMulThreads.SplitCount, Is.GreaterThan(splitsBefore), "the product was not split");
                Assert.That(problem.FirstMismatch(two, accumulate), Is.Null, $"accumulate {accumulate}");
                for (int i = 0; i < one.Length; i++)
                    if (BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(two[i]))
                        Assert.Fail($"accumulate {accumulate}: C[{i / n},{i % n}] is {two[i]} with two threads but {one[i]} with one.");
            });
        }
    }

    [Test]
    public void SmallProductsAndBadThreadCounts()
    {
        Assert.That(() => Torch.SetNumThreads(0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("threads"));
        Assert.That(Torch.GetNumThreads(), Is.EqualTo(1), "the default is one thread");
        var problem = new MatMulProblem(MatMulForm.AB, 64, 128, 128, seed: 3);
        long splitsBefore = MatMulThreads.SplitCount;
        Torch.SetNumThreads(2);
        try
        {
            Assert.That(problem.FirstMismatch(problem.Run(MatMulKernel.Vector512, accumulate: false), accumulate: false), Is.Null);
        }
        finally
        {
            Torch.SetNumThreads(1);
        }
        Assert.That(MatMulThreads.SplitCount, Is.EqualTo(splitsBefore), "2·64·128·128 FLOPs is below the threshold and stays on one thread");
    }

    [Test]
    public void DuringASpellProductsStayOnTheCallerUntilTheSettingChanges()
    {
        var problem = new MatMulProblem(MatMulForm.AB, 200, 150, 140, seed: 4);
        Torch.SetNumThreads(2);
        try
        {
            MatMulThreads.Solo(long.MaxValue / 2);
            long splitsBefore = MatMulThreads.SplitCount;
            Assert.That(problem.FirstMismatch(problem.Run(MatMulKernel.Vector512, accumulate: false), accumulate: false), Is.Null);
            Assert.That(MatMulThreads.SplitCount, Is.EqualTo(splitsBefore), "within a one-thread spell the product runs on one thread");

            Torch.SetNumThreads(2);
            problem.Run(MatMulKernel.Vector512, accumulate: false);
            Assert.That(MatMulThreads.SplitCount, Is.GreaterThan(splitsBefore), "setting the thread count again ends the spell");
        }
        finally
        {
            Torch.SetNumThreads(1);
        }
    }
}
