using BenchmarkDotNet.Attributes;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using ScratchRl.Benchmarks.Columns;
using TinyTorch;
using TinyTorch.Kernels;

namespace ScratchRl.Benchmarks;

/// <summary>
/// Every matmul kernel against the naive loops (the Ratio baseline) and MathNet's managed provider (single-threaded),
/// on square problems up to 256. Run: <c>dotnet run -c Release --project benchmarks/ScratchRl.Benchmarks -- --filter '*MatMul*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class MatMulSquareBenchmarks : IFlopCount
{
    private MatMulWorkload _work = null!;

    [Params(64, 128, 256)]
    public int Size { get; set; }

    public double Flops(string benchmark) => MatMulCase.Square(Size).Flops;

    [GlobalSetup]
    public void Setup() => _work = new MatMulWorkload(MatMulCase.Square(Size));

    [Benchmark(Baseline = true)]
    public void Naive() => _work.Run(MatMulKernel.Naive);

    [Benchmark]
    public void VectorT() => _work.Run(MatMulKernel.VectorT);

    [Benchmark]
    public void Vector128() => _work.Run(MatMulKernel.Vector128);

    [Benchmark]
    public void Vector256() => _work.Run(MatMulKernel.Vector256);

    [Benchmark]
    public void Vector512() => _work.Run(MatMulKernel.Vector512);

    [Benchmark]
    public void TensorPrimitives() => _work.Run(MatMulKernel.TensorPrimitives);

    [Benchmark]
    public void MathNetManaged() => _work.RunMathNet();
}

/// <summary>
/// Square problems of 512 and 1024. The naive loops are left out (seconds per call at 1024³), so the Ratio column is
/// relative to the TensorPrimitives row kernels here.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class MatMulLargeSquareBenchmarks : IFlopCount
{
    private MatMulWorkload _work = null!;

    [Params(512, 1024)]
    public int Size { get; set; }

    public double Flops(string benchmark) => MatMulCase.Square(Size).Flops;

    [GlobalSetup]
    public void Setup() => _work = new MatMulWorkload(MatMulCase.Square(Size));

    [Benchmark]
    public void VectorT() => _work.Run(MatMulKernel.VectorT);

    [Benchmark]
    public void Vector128() => _work.Run(MatMulKernel.Vector128);

    [Benchmark]
    public void Vector256() => _work.Run(MatMulKernel.Vector256);

    [Benchmark]
    public void Vector512() => _work.Run(MatMulKernel.Vector512);

    /// <summary><see cref="Vector512"/> with <c>Torch.SetNumThreads(2)</c>: C's rows split between two threads.</summary>
    [Benchmark]
    public void Vector512TwoThreads() => _work.Run(MatMulKernel.Vector512);

    [GlobalSetup(Target = nameof(Vector512TwoThreads))]
    public void SetupTwoThreads()
    {
        Setup();
        Torch.SetNumThreads(2);
    }

    [GlobalCleanup(Target = nameof(Vector512TwoThreads))]
    public void CleanupTwoThreads() => Torch.SetNumThreads(1);

    [Benchmark(Baseline = true)]
    public void TensorPrimitives() => _work.Run(MatMulKernel.TensorPrimitives);

    [Benchmark]
    public void MathNetManaged() => _work.RunMathNet();
}

/// <summary>
/// The products a 4-H-H-2 DQN makes (H = 128, batch 128), in the form each pass uses them:
/// forward Y = X·Wᵀ (A·Bᵀ: m = batch, k = in, n = out), input gradient dX = dY·W (A·B: m = batch, k = out, n = in),
/// weight gradient dW = dYᵀ·X (Aᵀ·B: m = out, k = batch, n = in), and the one-observation greedy forward (m = 1).
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class MatMulDqnBenchmarks : IFlopCount
{
    private MatMulWorkload _work = null!;

    [ParamsSource(nameof(Cases))]
    public MatMulCase Case { get; set; }

    public static IEnumerable<MatMulCase> Cases() =>
    [
        new(MatMulForm.AB, 128, 4, 128), new(MatMulForm.AB, 128, 128, 128), new(MatMulForm.AB, 128, 128, 2),
        new(MatMulForm.AB, 1, 4, 128), new(MatMulForm.AB, 128, 2, 128),
        new(MatMulForm.AtB, 128, 4, 128), new(MatMulForm.AtB, 128, 128, 128), new(MatMulForm.AtB, 128, 128, 2),
        new(MatMulForm.AtB, 1, 4, 128), new(MatMulForm.AtB, 2, 128, 128), new(MatMulForm.AtB, 128, 128, 4),
        new(MatMulForm.ABt, 128, 4, 128), new(MatMulForm.ABt, 128, 128, 128), new(MatMulForm.ABt, 128, 128, 2),
        new(MatMulForm.ABt, 1, 4, 128), new(MatMulForm.ABt, 1, 128, 128), new(MatMulForm.ABt, 1, 128, 2),
    ];

    public double Flops(string benchmark) => Case.Flops;

    [GlobalSetup]
    public void Setup() => _work = new MatMulWorkload(Case);

    [Benchmark(Baseline = true)]
    public void Naive() => _work.Run(MatMulKernel.Naive);

    [Benchmark]
    public void VectorT() => _work.Run(MatMulKernel.VectorT);

    [Benchmark]
    public void Vector128() => _work.Run(MatMulKernel.Vector128);

    [Benchmark]
    public void Vector256() => _work.Run(MatMulKernel.Vector256);

    [Benchmark]
    public void Vector512() => _work.Run(MatMulKernel.Vector512);

    [Benchmark]
    public void TensorPrimitives() => _work.Run(MatMulKernel.TensorPrimitives);

    [Benchmark]
    public void MathNetManaged() => _work.RunMathNet();
}

/// <summary>Which product: C = A·B, C = Aᵀ·B (A stored [k,m]) or C = A·Bᵀ (B stored [n,k]).</summary>
public enum MatMulForm
{
    AB,
    AtB,
    ABt,
}

/// <summary>One benchmarked product: its form and C[m,n] with inner dimension k.</summary>
public readonly record struct MatMulCase(MatMulForm Form, int M, int K, int N)
{
    /// <summary>2·m·k·n: one multiply and one add per term.</summary>
    public double Flops => 2.0 * M * K * N;

    public static MatMulCase Square(int size) => new(MatMulForm.AB, size, size, size);

    public override string ToString() => Form switch
    {
        MatMulForm.AB => $"({M}x{K})·({K}x{N})",
        MatMulForm.AtB => $"({K}x{M})ᵀ·({K}x{N})",
        _ => $"({M}x{K})·({N}x{K})ᵀ",
    };
}

/// <summary>Seeded operands for one case, laid out as its form stores them, plus the same product in MathNet.</summary>
public sealed class MatMulWorkload
{
    private readonly MatMulCase _case;
    private readonly float[] _a, _b, _c;
    private readonly Matrix<float> _mathNetA, _mathNetB, _mathNetC;

    public MatMulWorkload(MatMulCase matMulCase)
    {
        _case = matMulCase;
        var (m, k, n) = (matMulCase.M, matMulCase.K, matMulCase.N);
        var rng = new Rng(42);
        _a = Uniform(rng, m * k);
        _b = Uniform(rng, k * n);
        _c = new float[m * n];

        Control.UseManaged();
        Control.UseSingleThread();
        var build = Matrix<float>.Build;
        (int aRows, int aCols) = matMulCase.Form == MatMulForm.AtB ? (k, m) : (m, k);
        (int bRows, int bCols) = matMulCase.Form == MatMulForm.ABt ? (n, k) : (k, n);
        _mathNetA = build.DenseOfRowMajor(aRows, aCols, _a);
        _mathNetB = build.DenseOfRowMajor(bRows, bCols, _b);
        _mathNetC = build.Dense(m, n);
    }

    public void Run(MatMulKernel kernel)
    {
        var (m, k, n) = (_case.M, _case.K, _case.N);
        switch (_case.Form)
        {
            case MatMulForm.AB: MatMul.Multiply(kernel, _a, _b, _c, m, k, n); break;
            case MatMulForm.AtB: MatMul.MultiplyTransposedA(kernel, _a, _b, _c, m, k, n); break;
            default: MatMul.MultiplyTransposedB(kernel, _a, _b, _c, m, k, n); break;
        }
    }

    public void RunMathNet()
    {
        switch (_case.Form)
        {
            case MatMulForm.AB: _mathNetA.Multiply(_mathNetB, _mathNetC); break;
            case MatMulForm.AtB: _mathNetA.TransposeThisAndMultiply(_mathNetB, _mathNetC); break;
            default: _mathNetA.TransposeAndMultiply(_mathNetB, _mathNetC); break;
        }
    }

    private static float[] Uniform(Rng rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)rng.Uniform(-1.0, 1.0);
        return values;
    }
}
