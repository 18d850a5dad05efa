using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using TinyTorch.Kernels;
using TinyTorch.Kernels.Simd;

namespace TinyTorch.Nn;

/// <summary>
/// The training hot path of an MLP: forward and backward over a <see cref="Sequential"/> of <see cref="Linear"/> and
/// <see cref="ReLU"/> modules on plain float spans, into buffers allocated once, so a training step allocates nothing.
/// It reads and updates the network's own parameter tensors: an optimizer built on <c>network.Parameters()</c> sees the
/// gradients written here, and the forward pass sees every update at once.
/// <para>
/// How it relates to autograd. <c>network.Forward(x)</c> followed by <c>Backward</c> builds a graph node per op, each
/// closing over the tensors its local gradient needs, then walks the graph in reverse topological order applying the
/// chain rule ∂L/∂input = ∂L/∂output · ∂output/∂input. For a chain of layers that order is known in advance: it is the
/// layers reversed. So this class applies the same chain rule, written per layer, with the same local gradients as
/// <see cref="Tensor.Linear"/> (∂L/∂W += gᵀ·x, ∂L/∂b += Σ_batch g, ∂L/∂x = g·W) and <see cref="Tensor.Relu"/>
/// (∂L/∂x = g·[x &gt; 0]); the "saved tensors" of the graph are the activation buffers kept from the forward pass,
/// and the per-op gradient tensors become two preallocated ping-pong buffers. Same numbers, no graph, no allocation.
/// </para>
/// <para>
/// Buffers hold up to <see cref="BatchCapacity"/> rows and grow (once) when a larger batch arrives. Backward uses the
/// activations of the most recent <see cref="Forward"/>; <see cref="ForwardSingle"/> has buffers of its own and can run
/// in between. Not thread-safe: use one workspace per thread.
/// </para>
/// </summary>
public sealed class MlpWorkspace
{
    private readonly Layer[] _layers;
    private readonly int _maxWidth;
    private readonly float[] _single0, _single1;
    private float[] _input = [];
    private float[][] _activations = [];
    private float[] _grad0 = [], _grad1 = [], _output = [];
    private int _batch = -1;

    /// <summary>Plans the layers of <paramref name="network"/>: each Linear with the ReLU that follows it fused in.</summary>
    public MlpWorkspace(Sequential network, int batchCapacity = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchCapacity, 1);
        var layers = new List<Layer>();
        int width = -1;
        for (int i = 0; i < network.Count; i++)
        {
            switch (network[i])
            {
                case Linear linear:
                    if (width >= 0 && linear.InFeatures != width)
                        throw new ArgumentException($"MlpWorkspace: module {i} is {linear} but the previous layer outputs {width} features.", nameof(network));
                    layers.Add(new Layer(linear, linear.InFeatures, linear.OutFeatures));
                    width = linear.OutFeatures;
                    break;
                case ReLU:
                    if (layers.Count > 0 && layers[^1].Linear is not null && !layers[^1].Relu)
                        layers[^1] = layers[^1] with { Relu = true };
                    else if (width >= 0)
                        layers.Add(new Layer(null, width, width) { Relu = true });
                    else
                        throw new ArgumentException("MlpWorkspace: a leading ReLU leaves the input width unknown; start the network with a Linear.", nameof(network));
                    break;
                default:
                    throw new ArgumentException($"MlpWorkspace supports Linear and ReLU modules only; module {i} is {network[i].GetType().Name}.", nameof(network));
            }
        }
        if (layers.Count == 0)
            throw new ArgumentException("MlpWorkspace needs a network with at least one Linear layer.", nameof(network));

        Network = network;
        _layers = [.. layers];
        InFeatures = _layers[0].In;
        OutFeatures = _layers[^1].Out;
        _maxWidth = InFeatures;
        foreach (Layer layer in _layers)
            _maxWidth = Math.Max(_maxWidth, layer.Out);
        _single0 = new float[_maxWidth];
        _single1 = new float[_maxWidth];
        EnsureCapacity(batchCapacity);
    }

    /// <summary>The network whose parameters the workspace reads (and writes gradients into).</summary>
    public Sequential Network { get; }

    /// <summary>The network's input width.</summary>
    public int InFeatures { get; }

    /// <summary>The network's output width.</summary>
    public int OutFeatures { get; }

    /// <summary>Rows the buffers hold now; a larger batch grows them.</summary>
    public int BatchCapacity { get; private set; }

    /// <summary>
    /// The network's output [B, out] for the row-major batch <paramref name="input"/> [B, in] (B = length / in).
    /// The result lives in a buffer of this workspace: valid until the next Forward.
    /// </summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input)
    {
        if (input.Length % InFeatures != 0 || input.IsEmpty)
            throw new ArgumentException($"MlpWorkspace.Forward: an input of {input.Length} floats is not a batch of rows of {InFeatures} features.", nameof(input));
        int batch = input.Length / InFeatures;
        EnsureCapacity(batch);
        input.CopyTo(_input);

        ReadOnlySpan<float> x = _input.AsSpan(0, input.Length);
        for (int l = 0; l < _layers.Length; l++)
        {
            Layer layer = _layers[l];
            Span<float> y = _activations[l].AsSpan(0, batch * layer.Out);
            if (layer.Linear is { } linear)
            {
                // y = x·Wᵀ, then y = max(y + b, 0) (or y + b, or max(y, 0)): fused into the product's tiles where the
                // kernel can, else in one pass over y
                bool fused = linear.Bias is { } bias && MatMul.TryLinear(x, linear.Weight.Data, bias.Data, y, batch, layer.In, layer.Out, layer.Relu);
                if (!fused)
                {
                    MatMul.MultiplyTransposedB(x, linear.Weight.Data, y, batch, layer.In, layer.Out);
                    if (linear.Bias is not null)
                        AddRowsAndRelu(y, linear.Bias.Data, layer.Out, layer.Relu);
                    else if (layer.Relu)
                        TensorPrimitives.Max(y, 0f, y);
                }
            }
            else
            {
                TensorPrimitives.Max(x, 0f, y);
            }
            x = y;
        }
        _batch = batch;
        return x;
    }

    /// <summary>
    /// The network's output [B, out] for <paramref name="input"/> [B, in], as <see cref="Forward"/> computes it, for a
    /// network that only predicts (a target network): nothing is kept for <see cref="Backward"/>, so each layer is
    /// computed feature-major, yᵀ = W·xᵀ + b [out, B] from xᵀ [in, B], and reads its weights W [out, in] where they are
    /// (the batch-major product x·Wᵀ first repacks Wᵀ into panels, every call). The hidden layers' values are those of
    /// <see cref="Forward"/> to the bit (each element gets the same multiply-adds in the same order); a narrow last layer
    /// may round differently (a tile instead of dot products). Valid until the next forward; a <see cref="Backward"/>
    /// needs a <see cref="Forward"/> after it.
    /// </summary>
    public ReadOnlySpan<float> ForwardNoGrad(ReadOnlySpan<float> input)
    {
        if (input.Length % InFeatures != 0 || input.IsEmpty)
            throw new ArgumentException($"MlpWorkspace.ForwardNoGrad: an input of {input.Length} floats is not a batch of rows of {InFeatures} features.", nameof(input));
        int batch = input.Length / InFeatures;
        EnsureCapacity(batch);
        _batch = -1;
        ReadOnlySpan<float> xT = Transpose(input, batch, InFeatures, _input);
        for (int l = 0; l < _layers.Length; l++)
        {
            Layer layer = _layers[l];
            Span<float> yT = _activations[l].AsSpan(0, layer.Out * batch);
            if (layer.Linear is { } linear)
            {
                // yᵀ = W·xᵀ, then yᵀ = max(yᵀ + b, 0) with b along the rows: in the product's tiles where the kernel
                // can, else in one pass over yᵀ
                bool fused = linear.Bias is { } bias && MatMul.TryLinearFeatureMajor(linear.Weight.Data, xT, bias.Data, yT, layer.Out, layer.In, batch, layer.Relu);
                if (!fused)
                {
                    MatMul.Multiply(linear.Weight.Data, xT, yT, layer.Out, layer.In, batch);
                    AddColumnsAndRelu(yT, linear.Bias is null ? default : linear.Bias.Data, batch, layer.Relu);
                }
            }
            else
            {
                TensorPrimitives.Max(xT, 0f, yT);
            }
            xT = yT;
        }
        return Transpose(xT, OutFeatures, batch, _output);
    }

    /// <summary>The transpose [columns, rows] of the row-major <paramref name="x"/> [rows, columns], written to <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<float> Transpose(ReadOnlySpan<float> x, int rows, int columns, float[] buffer)
    {
        Span<float> xT = buffer.AsSpan(0, x.Length);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                xT[c * rows + r] = x[r * columns + c];
        return xT;
    }

    /// <summary>
    /// Back-propagates <paramref name="gradOutput"/> = ∂L/∂output [B, out] through the activations of the first B rows
    /// of the last <see cref="Forward"/> (all of them, or a prefix: one forward over [s; s′] serves a loss on s alone),
    /// adding ∂L/∂W and ∂L/∂b into each parameter's <see cref="Tensor.Grad"/> (accumulated, as autograd does: zero the
    /// gradients first; a null Grad is created once), or with <paramref name="accumulate"/> false written over them
    /// (the same values as zeroing first, without the extra pass). When <paramref name="gradInput"/> is given it receives
    /// ∂L/∂input [B, in] (overwritten). Parameters with RequiresGrad off get no gradient.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="gradOutput"/> is not 1 to (rows of the last Forward) rows of out values.</exception>
    public void Backward(ReadOnlySpan<float> gradOutput, Span<float> gradInput = default, bool accumulate = true)
    {
        if (_batch < 0)
            throw new InvalidOperationException("MlpWorkspace.Backward needs a Forward first: it reuses that pass's activations.");
        int batch = gradOutput.Length / OutFeatures;
        if (gradOutput.Length % OutFeatures != 0 || batch < 1 || batch > _batch)
            throw new ArgumentException($"MlpWorkspace.Backward: ∂L/∂output has {gradOutput.Length} floats; expected [B, {OutFeatures}] with 1 ≤ B ≤ {_batch}, the rows of the last Forward.", nameof(gradOutput));
        if (!gradInput.IsEmpty && gradInput.Length != batch * InFeatures)
            throw new ArgumentException($"MlpWorkspace.Backward: ∂L/∂input needs room for [{batch}, {InFeatures}] = {batch * InFeatures} floats, got {gradInput.Length}.", nameof(gradInput));

        // g = ∂L/∂(output of layer l), walked from the last layer to the first; g and spare swap roles per layer
        float[] gBuffer = _grad0, spare = _grad1;
        Span<float> g = gBuffer.AsSpan(0, gradOutput.Length);
        gradOutput.CopyTo(g);
        // true when the product that computed g already applied layer l's ReLU backward and summed its bias gradient
        bool finished = false;
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            Layer layer = _layers[l];
            Linear? linear = layer.Linear;
            // ReLU: ∂L/∂z = ∂L/∂y · [z > 0], and z > 0 exactly where y = max(z, 0) > 0;
            // ∂L/∂b += Σ_batch ∂L/∂z: both in one pass over g
            if (!finished)
            {
                Span<float> db = BiasGrad(layer, accumulate);
                if (layer.Relu || !db.IsEmpty)
                    MaskAndSumRows(g, layer.Relu ? _activations[l].AsSpan(0, g.Length) : default, db, layer.Out);
            }
            finished = false;
            if (linear is null)
                continue;

            ReadOnlySpan<float> x = l == 0 ? _input.AsSpan(0, batch * layer.In) : _activations[l - 1].AsSpan(0, batch * layer.In);
            // ∂L/∂W (+)= gᵀ·x: g is stored [B, out], so this is the Aᵀ·B form with k = B
            if (linear.Weight.RequiresGrad)
                MatMul.MultiplyTransposedA(g, x, GradOf(linear.Weight), layer.Out, batch, layer.In, accumulate);
            // ∂L/∂x = g·W: [B, out]·[out, in]; for the first layer only when the caller asked for ∂L/∂input
            if (l > 0)
            {
                Span<float> gx = spare.AsSpan(0, batch * layer.In);
                // With the layer below's ReLU mask and bias gradient applied to each tile of the product where the
                // kernel can (the same values as the pass above, without it)
                Layer below = _layers[l - 1];
                finished = below.Linear is not null && MatMul.TryLinearBackward(g, linear.Weight.Data,
                    below.Relu ? _activations[l - 1].AsSpan(0, gx.Length) : default, BiasGrad(below, accumulate), gx, batch, layer.Out, layer.In);
                if (!finished)
                    MatMul.Multiply(g, linear.Weight.Data, gx, batch, layer.Out, layer.In);
                (gBuffer, spare) = (spare, gBuffer);
                g = gx;
            }
            else if (!gradInput.IsEmpty)
            {
                MatMul.Multiply(g, linear.Weight.Data, gradInput, batch, layer.Out, layer.In);
            }
        }
    }

    /// <summary>
    /// The network's output for one input [in] → [out], by matrix-vector products (the greedy action's forward pass).
    /// The result lives in a buffer of this workspace: valid until the next ForwardSingle.
    /// </summary>
    public ReadOnlySpan<float> ForwardSingle(ReadOnlySpan<float> input)
    {
        if (input.Length != InFeatures)
            throw new ArgumentException($"MlpWorkspace.ForwardSingle: expected {InFeatures} features, got {input.Length}.", nameof(input));
        ReadOnlySpan<float> x = input;
        bool first = true;
        foreach (Layer layer in _layers)
        {
            Span<float> y = (first ? _single0 : _single1).AsSpan(0, layer.Out);
            if (layer.Linear is { } linear)
                MatVec.Linear(linear.Weight.Data, linear.Bias is null ? default : linear.Bias.Data, x, y, layer.Relu);
            else
                TensorPrimitives.Max(x, 0f, y);
            x = y;
            first = !first;
        }
        return x;
    }

    /// <summary>argmax of the network's output for one input: the greedy action of a Q-network.</summary>
    public int ForwardArgMax(ReadOnlySpan<float> input) => ArgMax(ForwardSingle(input));

    /// <summary>
    /// The index of the largest value: the first one on ties, +0 and −0 tying, a NaN counting as largest (PyTorch's
    /// <c>argmax</c>, and <see cref="Tensor.Max"/>'s rule: <see cref="Kernels.ArgMax"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            throw new ArgumentException("ArgMax of an empty span.", nameof(values));
        return Kernels.ArgMax.Of(values, 0, values.Length, 1);
    }

    /// <summary>Row-wise <see cref="ArgMax(ReadOnlySpan{float})"/> of the row-major matrix <paramref name="values"/> [rows, columns] into <paramref name="indices"/> [rows].</summary>
    /// <exception cref="ArgumentException">The lengths do not form rows of <paramref name="columns"/> (≥ 1) columns.</exception>
    public static void ArgMax(ReadOnlySpan<float> values, int columns, Span<int> indices)
    {
        if (columns < 1 || values.Length != indices.Length * columns)
            throw new ArgumentException($"ArgMax: {values.Length} values do not form {indices.Length} rows of {columns} columns.", nameof(values));
        for (int r = 0; r < indices.Length; r++)
            indices[r] = Kernels.ArgMax.Of(values, r * columns, columns, 1);
    }

    private void EnsureCapacity(int batch)
    {
        if (batch <= BatchCapacity)
            return;
        int capacity = Math.Max(batch, 2 * BatchCapacity);
        _input = new float[capacity * InFeatures];
        _activations = new float[_layers.Length][];
        for (int l = 0; l < _layers.Length; l++)
            _activations[l] = new float[capacity * _layers[l].Out];
        _grad0 = new float[capacity * _maxWidth];
        _grad1 = new float[capacity * _maxWidth];
        _output = new float[capacity * OutFeatures];
        BatchCapacity = capacity;
        _batch = -1;
    }

    /// <summary>∂L/∂b of the layer's bias when it has one that requires a gradient (zeroed first unless <paramref name="accumulate"/>), else empty.</summary>
    private static Span<float> BiasGrad(Layer layer, bool accumulate)
    {
        if (layer.Linear?.Bias is not { RequiresGrad: true } bias)
            return default;
        Span<float> db = GradOf(bias);
        if (!accumulate)
            db.Clear();
        return db;
    }

    private static Span<float> GradOf(Tensor parameter)
    {
        parameter.Grad ??= new Tensor(new float[parameter.Count], parameter.Shape.ToArray());
        return parameter.Grad.Data;
    }

    /// <summary>
    /// y[r,j] ← y[r,j] + b[j] for every row r of the row-major y [rows, width], then max(·, 0) when
    /// <paramref name="relu"/>: the bias and the activation of a layer in one pass over y, row by row (b stays in L1).
    /// <paramref name="lanes"/> forces the widest vector width (tests; narrower ones take the tail); by default the widest in hardware.
    /// </summary>
    internal static void AddRowsAndRelu(Span<float> y, ReadOnlySpan<float> b, int width, bool relu, VectorWidth? lanes = null)
    {
        VectorWidth vectors = lanes ?? VectorWidths.Best;
        for (int row = 0; row < y.Length; row += width)
        {
            Span<float> yRow = y.Slice(row, width);
            // Widest vectors first, then each narrower width takes what is left (at most one vector each), so an odd
            // width such as 120 = 7·16 + 8 or 84 = 5·16 + 4 leaves no scalar tail.
            int done = 0;
            if (vectors >= VectorWidth.Bits512)
                done = AddAndRelu<Lanes512>(yRow, b, relu, done);
            if (vectors >= VectorWidth.Bits256)
                done = AddAndRelu<Lanes256>(yRow, b, relu, done);
            if (vectors >= VectorWidth.Bits128)
                done = AddAndRelu<Lanes128>(yRow, b, relu, done);
            AddAndRelu<Lanes1>(yRow, b, relu, done);
        }
    }

    /// <summary>
    /// yᵀ[j, r] ← yᵀ[j, r] + b[j] (when <paramref name="b"/> is not empty) for every row j of the row-major yᵀ [out, width],
    /// then max(·, 0) when <paramref name="relu"/>: <see cref="AddRowsAndRelu"/> for a layer computed feature-major.
    /// </summary>
    internal static void AddColumnsAndRelu(Span<float> yT, ReadOnlySpan<float> b, int width, bool relu)
    {
        for (int j = 0; j < yT.Length / width; j++)
        {
            Span<float> row = yT.Slice(j * width, width);
            if (!b.IsEmpty)
                TensorPrimitives.Add(row, b[j], row);
            if (relu)
                TensorPrimitives.Max(row, 0f, row);
        }
    }

    /// <summary>y[j] ← y[j] + b[j], then max(·, 0) when <paramref name="relu"/>, from <paramref name="start"/> while whole vectors fit; returns where it stopped.</summary>
    private static int AddAndRelu<TLanes>(Span<float> y, ReadOnlySpan<float> b, bool relu, int start)
        where TLanes : struct, ILanes<TLanes>
    {
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float br = ref MemoryMarshal.GetReference(b);
        TLanes zero = TLanes.Create(0f);
        int j = start;
        for (; j <= y.Length - TLanes.Count; j += TLanes.Count)
        {
            TLanes v = TLanes.Load(ref yr, (nuint)j) + TLanes.Load(ref br, (nuint)j);
            TLanes.Store(relu ? TLanes.Max(v, zero) : v, ref yr, (nuint)j);
        }
        return j;
    }

    /// <summary>
    /// For g [rows, width] (row-major): g[r,j] ← y[r,j] &gt; 0 ? g[r,j] : 0 when <paramref name="y"/> is given (the ReLU
    /// mask), and db[j] += g[r,j] (after masking) for every row when <paramref name="db"/> is given (the bias gradient
    /// Σ_batch g): one pass over g, row by row, db staying in L1. <paramref name="lanes"/> forces the widest vector width (tests).
    /// </summary>
    internal static void MaskAndSumRows(Span<float> g, ReadOnlySpan<float> y, Span<float> db, int width, VectorWidth? lanes = null)
    {
        VectorWidth vectors = lanes ?? VectorWidths.Best;
        for (int row = 0; row < g.Length; row += width)
        {
            Span<float> gRow = g.Slice(row, width);
            ReadOnlySpan<float> yRow = y.IsEmpty ? default : y.Slice(row, width);
            // Narrowing widths, as in AddRowsAndRelu.
            int done = 0;
            if (vectors >= VectorWidth.Bits512)
                done = MaskAndSum<Lanes512>(gRow, yRow, db, done);
            if (vectors >= VectorWidth.Bits256)
                done = MaskAndSum<Lanes256>(gRow, yRow, db, done);
            if (vectors >= VectorWidth.Bits128)
                done = MaskAndSum<Lanes128>(gRow, yRow, db, done);
            MaskAndSum<Lanes1>(gRow, yRow, db, done);
        }
    }

    /// <summary>One row of <see cref="MaskAndSumRows"/> from <paramref name="start"/> while whole vectors fit; returns where it stopped.</summary>
    private static int MaskAndSum<TLanes>(Span<float> g, ReadOnlySpan<float> y, Span<float> db, int start)
        where TLanes : struct, ILanes<TLanes>
    {
        bool mask = !y.IsEmpty, sum = !db.IsEmpty;
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float dbr = ref MemoryMarshal.GetReference(db);
        TLanes zero = TLanes.Create(0f);
        int j = start;
        for (; j <= g.Length - TLanes.Count; j += TLanes.Count)
        {
            nuint at = (nuint)j;
            TLanes gv = TLanes.Load(ref gr, at);
            if (mask)
            {
                // ∂L/∂z = ∂L/∂y · [y > 0]
                gv &= TLanes.GreaterThan(TLanes.Load(ref yr, at), zero);
                TLanes.Store(gv, ref gr, at);
            }
            // ∂L/∂b += ∂L/∂z
            if (sum)
                TLanes.Store(TLanes.Load(ref dbr, at) + gv, ref dbr, at);
        }
        return j;
    }

    /// <summary>One step of the plan: an optional Linear, then an optional ReLU, mapping In features to Out.</summary>
    private readonly record struct Layer(Linear? Linear, int In, int Out)
    {
        public bool Relu { get; init; }
    }
}
