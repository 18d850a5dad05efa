using TinyTorch.Kernels;

namespace TinyTorch.Tests.Kernels;

/// <summary>What every kernel promises besides the numbers: argument checks, the default, no garbage per call.</summary>
public class MatMulContractTests
{
    [Test]
    public void TooShortSpansThrowWithTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => MatMul.Multiply(new float[5], new float[12], new float[8], 2, 3, 4));
        Assert.That(ex!.Message, Does.Contain("too short").And.Contain("m=2, k=3, n=4").And.Contain("A needs 6"));

        ex = Assert.Throws<ArgumentException>(() => MatMul.MultiplyTransposedA(new float[6], new float[11], new float[8], 2, 3, 4));
        Assert.That(ex!.Message, Does.Contain("B needs 12"));

        ex = Assert.Throws<ArgumentException>(() => MatMul.MultiplyTransposedB(new float[6], new float[12], new float[7], 2, 3, 4));
        Assert.That(ex!.Message, Does.Contain("C needs 8"));
    }

    [Test]
    public void NegativeDimensionsThrow()
    {
        var ex = Assert.Throws<ArgumentException>(() => MatMul.Multiply(MatMulKernel.Vector512, new float[4], new float[4], new float[4], 2, -1, 2));
        Assert.That(ex!.Message, Does.Contain("non-negative").And.Contain("k=-1"));
    }

    [Test]
    public void UnknownKernelThrows()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => MatMul.Multiply((MatMulKernel)42, new float[1], new float[1], new float[1], 1, 1, 1));
        Assert.That(ex!.Message, Does.Contain("unknown kernel 42"));
    }

    [Test]
    public void DefaultOverloadsAgreeWithTheNamedKernel()
    {
        var rng = new Rng(5);
        float[] a = Enumerable.Range(0, 6 * 5).Select(_ => rng.NextFloat()).ToArray();
        float[] b = Enumerable.Range(0, 5 * 4).Select(_ => rng.NextFloat()).ToArray();
        var viaDefault = new float[24];
        var viaNaive = new float[24];
        MatMul.Multiply(a, b, viaDefault, 6, 5, 4);
        MatMul.Multiply(MatMulKernel.Naive, a, b, viaNaive, 6, 5, 4);
        Assert.That(viaDefault, Is.EqualTo(viaNaive).Within(1e-5f));
    }

    /// <summary>Packing buffers are reused per thread, so steady-state calls allocate nothing (the first case packs A and B).</summary>
    [TestCase(MatMulKernel.Vector512, 300, 520, 420)]
    [TestCase(MatMulKernel.Vector512, 128, 128, 2)]
    [TestCase(MatMulKernel.Vector512, 128, 128, 4)]
    [TestCase(MatMulKernel.Vector512, 1, 4, 128)]
    [TestCase(MatMulKernel.Vector256, 65, 33, 17)]
    [TestCase(MatMulKernel.Vector128, 65, 33, 17)]
    [TestCase(MatMulKernel.VectorT, 65, 33, 17)]
    [TestCase(MatMulKernel.TensorPrimitives, 65, 33, 17)]
    public void SteadyStateCallsAllocateNothing(MatMulKernel kernel, int m, int k, int n)
    {
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        void AllForms()
        {
            MatMul.Multiply(kernel, a, b, c, m, k, n);
            MatMul.MultiplyTransposedA(kernel, a, b, c, m, k, n, accumulate: true);
            MatMul.MultiplyTransposedB(kernel, a, b, c, m, k, n);
        }
        AllForms();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
            AllForms();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
