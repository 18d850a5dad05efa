using System.Numerics;

namespace TinyTorch.Kernels;

/// <summary>
/// Portable matmul on <see cref="Vector{T}"/> (whatever width the runtime picks: 8 floats on AVX2 and AVX-512 machines,
/// 4 on Arm), with scalar tails. Aᵀ·B and A·B vectorise along C's rows (4 rows × one vector of columns in registers);
/// A·Bᵀ, whose B rows run along p, computes dot products vectorised along p.
/// </summary>
internal static unsafe class MatMulVectorT
{
    /// <summary>C[m,n] (+)= A·B: row updates when B's rows are contiguous, else (B stored transposed, A's rows contiguous) dot products.</summary>
    public static void Gemm(StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        if (b.ColStride == 1)
        {
            RowUpdates(a, b.Data, c, m, k, n, accumulate);
            return;
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float dot = Dot(a.At(i, 0), b.At(0, j), k);
                float* target = c + (nint)i * n + j;
                *target = accumulate ? *target + dot : dot;
            }
    }

    /// <summary>
    /// C[i, j..j+W) (+)= Σ_p A(i,p) · B[p, j..j+W) with B row-major [k,n] and A of any strides:
    /// 4 rows of C share each load of B; the last n % W columns use scalar accumulators, the last m % 4 rows go one at a time.
    /// </summary>
    private static void RowUpdates(StridedMatrix a, float* b, float* c, int m, int k, int n, bool accumulate)
    {
        int width = Vector<float>.Count;
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            float* a0 = a.At(i, 0), a1 = a.At(i + 1, 0), a2 = a.At(i + 2, 0), a3 = a.At(i + 3, 0);
            float* c0 = c + (nint)i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
            int j = 0;
            for (; j + width <= n; j += width)
            {
                Vector<float> s0 = accumulate ? Vector.Load(c0 + j) : Vector<float>.Zero;
                Vector<float> s1 = accumulate ? Vector.Load(c1 + j) : Vector<float>.Zero;
                Vector<float> s2 = accumulate ? Vector.Load(c2 + j) : Vector<float>.Zero;
                Vector<float> s3 = accumulate ? Vector.Load(c3 + j) : Vector<float>.Zero;
                for (int p = 0; p < k; p++)
                {
                    Vector<float> bp = Vector.Load(b + (nint)p * n + j);
                    nint ap = p * a.ColStride;
                    s0 = Vector.MultiplyAddEstimate(new Vector<float>(a0[ap]), bp, s0);
                    s1 = Vector.MultiplyAddEstimate(new Vector<float>(a1[ap]), bp, s1);
                    s2 = Vector.MultiplyAddEstimate(new Vector<float>(a2[ap]), bp, s2);
                    s3 = Vector.MultiplyAddEstimate(new Vector<float>(a3[ap]), bp, s3);
                }
                s0.Store(c0 + j);
                s1.Store(c1 + j);
                s2.Store(c2 + j);
                s3.Store(c3 + j);
            }
            for (; j < n; j++)
            {
                // The last n % W columns: the same 4-row block with scalar accumulators.
                float s0 = accumulate ? c0[j] : 0f, s1 = accumulate ? c1[j] : 0f;
                float s2 = accumulate ? c2[j] : 0f, s3 = accumulate ? c3[j] : 0f;
                for (int p = 0; p < k; p++)
                {
                    float bp = b[(nint)p * n + j];
                    nint ap = p * a.ColStride;
                    s0 += a0[ap] * bp;
                    s1 += a1[ap] * bp;
                    s2 += a2[ap] * bp;
                    s3 += a3[ap] * bp;
                }
                (c0[j], c1[j], c2[j], c3[j]) = (s0, s1, s2, s3);
            }
        }
        for (; i < m; i++)
        {
            float* c0 = c + (nint)i * n;
            float* a0 = a.At(i, 0);
            int j = 0;
            for (; j + width <= n; j += width)
            {
                Vector<float> s0 = accumulate ? Vector.Load(c0 + j) : Vector<float>.Zero;
                for (int p = 0; p < k; p++)
                    s0 = Vector.MultiplyAddEstimate(new Vector<float>(a0[p * a.ColStride]), Vector.Load(b + (nint)p * n + j), s0);
                s0.Store(c0 + j);
            }
            for (; j < n; j++)
                ScalarElement(a, b, c, i, j, k, n, accumulate);
        }
    }

    /// <summary>C[i,j] (+)= Σ_p A(i,p)·B[p,j], one element.</summary>
    private static void ScalarElement(StridedMatrix a, float* b, float* c, int i, int j, int k, int n, bool accumulate)
    {
        float sum = 0f;
        for (int p = 0; p < k; p++)
            sum += *a.At(i, p) * b[(nint)p * n + j];
        float* target = c + (nint)i * n + j;
        *target = accumulate ? *target + sum : sum;
    }

    /// <summary>Σ_p x[p]·y[p] with two vector accumulators (two FMA chains in flight) and a scalar tail.</summary>
    private static float Dot(float* x, float* y, int k)
    {
        int width = Vector<float>.Count;
        Vector<float> s0 = Vector<float>.Zero, s1 = Vector<float>.Zero;
        int p = 0;
        for (; p + 2 * width <= k; p += 2 * width)
        {
            s0 = Vector.MultiplyAddEstimate(Vector.Load(x + p), Vector.Load(y + p), s0);
            s1 = Vector.MultiplyAddEstimate(Vector.Load(x + p + width), Vector.Load(y + p + width), s1);
        }
        for (; p + width <= k; p += width)
            s0 = Vector.MultiplyAddEstimate(Vector.Load(x + p), Vector.Load(y + p), s0);
        float sum = Vector.Sum(s0 + s1);
        for (; p < k; p++)
            sum += x[p] * y[p];
        return sum;
    }
}
