namespace TinyTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// C = A·B for A [M,K] and B [K,N], giving C [M,N] (PyTorch's <c>matmul</c>). A 1-D operand acts as a
    /// row [1,K] on the left or a column [K,1] on the right, and that dimension is dropped from the result.
    /// From C_ij = Σ_p A_ip·B_pj the local gradients are ∂C_ij/∂A_ip = B_pj and ∂C_ij/∂B_pj = A_ip, so
    ///   ∂L/∂A = ∂L/∂C · Bᵀ   and   ∂L/∂B = Aᵀ · ∂L/∂C,
    /// computed by the transposed kernels straight into the existing gradients (accumulate).
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        Tensor a = this, b = other;
        if (a.Rank is < 1 or > 2 || b.Rank is < 1 or > 2)
            throw ShapeCheck.Mismatch("matmul", a, b, "1-D or 2-D operands");
        int m = a.Rank == 2 ? a._shape[0] : 1;
        int k = a._shape[a.Rank - 1];
        int n = b.Rank == 2 ? b._shape[1] : 1;
        if (b._shape[0] != k)
            throw ShapeCheck.Mismatch("matmul", a, b, $"the columns of the first ({k}) must equal the rows of the second ({b._shape[0]})");

        int[] shape = (a.Rank, b.Rank) switch
        {
            (2, 2) => [m, n],
            (2, 1) => [m],
            (1, 2) => [n],
            _ => [],
        };
        var c = new Tensor(new float[m * n], shape);
        Kernels.MatMul.Multiply(a.Data, b.Data, c.Data, m, k, n);

        string name = (a.Rank, b.Rank) switch
        {
            (2, 1) => "MvBackward",
            (1, 1) => "DotBackward",
            _ => "MmBackward",
        };
        return Record(c, name, dc =>
        {
            // ∂L/∂A [M,K] += ∂L/∂C [M,N] · (B [K,N])ᵀ
            if (a.RequiresGrad)
                Kernels.MatMul.MultiplyTransposedB(dc.Data, b.Data, a.GradBuffer(), m, n, k, accumulate: true);
            // ∂L/∂B [K,N] += (A [M,K])ᵀ · ∂L/∂C [M,N]
            if (b.RequiresGrad)
                Kernels.MatMul.MultiplyTransposedA(a.Data, dc.Data, b.GradBuffer(), k, m, n, accumulate: true);
        }, a, b);
    }
}
