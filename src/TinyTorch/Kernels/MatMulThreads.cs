namespace TinyTorch.Kernels;

/// <summary>
/// Splits one large matmul across TinyTorch's threads (<see cref="Torch.SetNumThreads"/>): the rows of C are cut into
/// one part per thread, at multiples of 8 rows, and each part is the same single-threaded product on its rows of A and C.
/// Every C element is still the sum over p of the same terms in the same order, so the result equals the one-thread
/// result to the bit, whatever the thread count.
/// <para>
/// The threads come from one small pool owned here: <c>threads − 1</c> background workers started once, which sleep
/// between products; the calling thread takes a part too. Parts are claimed, not assigned: a worker that wakes late
/// (another process holds its core) finds its part already taken by the caller, so a busy machine costs at most the
/// one-thread time plus a wake-up, never a wait on a descheduled thread. One product at a time uses the pool; a second
/// caller meanwhile (a parallel sweep, a test runner) computes alone, so the cores are never oversubscribed.
/// </para>
/// </summary>
internal static unsafe class MatMulThreads
{
    /// <summary>
    /// Products of fewer FLOPs (2·m·k·n) stay on one thread: 8 MFLOP is about 30 µs at one core's AVX-512 peak
    /// (Zen 5: 266 GFLOP/s) and 60 µs at a 256-bit one, long enough to pay for waking a sleeping worker (a few µs)
    /// and for the parts' repeated packing. DQN networks of width 128 (batch 64–128) stay below it; width 256 at
    /// batch 256 (34 MFLOP per hidden-layer product) and matmuls from about 160³ up are split.
    /// </summary>
    public const double MinFlops = 8e6;

    /// <summary>
    /// A part gets at least 32 − 8 rows of C (cuts fall on multiples of 8): enough that every part takes the path the
    /// whole would (the kernels choose some paths by the row count, below 16 rows), so the sums keep their order.
    /// </summary>
    public const int MinRowsPerPart = 32;

    private static readonly Lock Gate = new(), StartGate = new();
    private static int s_threads = 1;
    private static Worker[] s_workers = [];

    // The product being shared, valid while a caller holds Gate (workers read it only after claiming a part of it).
    private static delegate*<MatMulKernel, StridedMatrix, StridedMatrix, float*, int, int, int, bool, void> s_product;
    private static MatMulKernel s_kernel;
    private static StridedMatrix s_a, s_b;
    private static float* s_c;
    private static int s_m, s_k, s_n, s_parts;
    private static bool s_accumulate;

    // generation << 32 | next unclaimed part: a part is claimed by a compare-and-swap on both at once, so a worker
    // that wakes after its product finished can never claim a part of it.
    private static long s_state;
    private static int s_finished;

    /// <summary>Products split across the pool since the process started (tests check that a split happened).</summary>
    internal static long SplitCount => Volatile.Read(ref s_state) >> 32;

    /// <summary>Threads a large product uses (1 = the caller alone).</summary>
    public static int Threads
    {
        get => Volatile.Read(ref s_threads);
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException("threads", value, $"SetNumThreads: {value} threads; expected at least 1 (1 keeps every product on the calling thread).");
            lock (StartGate)
            {
                if (s_workers.Length < value - 1)
                {
                    var workers = new Worker[value - 1];
                    s_workers.CopyTo(workers, 0);
                    for (int w = s_workers.Length; w < workers.Length; w++)
                        workers[w] = new Worker(w);
                    s_workers = workers;
                }
                Volatile.Write(ref s_threads, value);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="product"/> over C's rows, split across the pool when the product is at least
    /// <see cref="MinFlops"/>, has rows for two parts and the pool is free; otherwise on this thread alone.
    /// </summary>
    public static void Run(delegate*<MatMulKernel, StridedMatrix, StridedMatrix, float*, int, int, int, bool, void> product,
        MatMulKernel kernel, StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        int parts = Math.Min(Threads, m / MinRowsPerPart);
        if (parts < 2 || 2.0 * m * k * n < MinFlops || !Gate.TryEnter())
        {
            product(kernel, a, b, c, m, k, n, accumulate);
            return;
        }
        try
        {
            s_product = product;
            s_c = c;
            (s_kernel, s_a, s_b, s_m, s_k, s_n, s_parts, s_accumulate) = (kernel, a, b, m, k, n, parts, accumulate);
            Volatile.Write(ref s_finished, 0);
            long generation = (Volatile.Read(ref s_state) >> 32) + 1;
            Volatile.Write(ref s_state, generation << 32);
            Worker[] workers = s_workers;
            for (int w = 0; w < parts - 1; w++)
                workers[w].Wake();
            RunParts(generation);
            // Parts a worker claimed are under way: wait for them (the unclaimed ones this thread already ran).
            var spin = new SpinWait();
            while (Volatile.Read(ref s_finished) < parts)
                spin.SpinOnce();
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>Claims and runs parts of product <paramref name="generation"/> until none is left.</summary>
    private static void RunParts(long generation)
    {
        while (true)
        {
            long state = Volatile.Read(ref s_state);
            int part = (int)(state & 0xFFFF_FFFF);
            if (state >> 32 != generation || part >= s_parts)
                return;
            if (Interlocked.CompareExchange(ref s_state, state + 1, state) != state)
                continue;
            // Rows [first, last) of C: equal shares, cut at multiples of 8.
            int first = RowAt(part), last = RowAt(part + 1);
            s_product(s_kernel, new StridedMatrix(s_a.At(first, 0), s_a.RowStride, s_a.ColStride), s_b, s_c + (nint)first * s_n,
                last - first, s_k, s_n, s_accumulate);
            Interlocked.Increment(ref s_finished);
        }
    }

    private static int RowAt(int part) => part == s_parts ? s_m : (int)((long)s_m * part / s_parts) & ~7;

    /// <summary>A background thread that sleeps until woken, then helps with the current product.</summary>
    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"TinyTorch matmul worker {index + 1}" };
            thread.Start();
        }

        public void Wake() => _wake.Release();

        private void Loop()
        {
            while (true)
            {
                _wake.Wait();
                RunParts(Volatile.Read(ref s_state) >> 32);
            }
        }
    }
}
