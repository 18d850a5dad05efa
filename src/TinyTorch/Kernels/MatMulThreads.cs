using System.Diagnostics;

namespace TinyTorch.Kernels;

/// <summary>
/// Splits one large matmul across TinyTorch's threads (<see cref="Torch.SetNumThreads"/>): the rows of C are cut into
/// one part per thread, at multiples of 8 rows, and each part is the same single-threaded product on its rows of A and C.
/// Every C element is still the sum over p of the same terms in the same order, so the result equals the one-thread
/// result to the bit, whatever the thread count.
/// <para>
/// The threads come from one small pool owned here: <c>threads − 1</c> background workers started once; the calling
/// thread takes a part too. After a product a worker spins for <see cref="SpinTime"/> watching for the next one (the
/// products of one update follow each other within microseconds, and waking a sleeping thread costs tens of them),
/// then sleeps until woken. Parts are claimed, not assigned: a worker that wakes late (another process holds its core)
/// finds its part already taken by the caller, so a busy machine costs at most the one-thread time plus a wake-up,
/// never a wait on a descheduled thread. One product at a time uses the pool; a second caller meanwhile (a parallel
/// sweep, a test runner) computes alone, so the cores are never oversubscribed.
/// </para>
/// <para>
/// A worker can still be descheduled in the middle of its part when another process wants its core, and then the
/// caller waits for it for up to a scheduler slice (milliseconds, against a part of tens of microseconds). A split
/// that waits long loses against one thread. Every split books the time it saved or lost (<see cref="Settle"/>); when
/// the recent splits have lost more than they saved, products run on the caller alone for a spell, so under lasting
/// contention the speed falls back to the one-thread speed, not below it.
/// </para>
/// </summary>
internal static unsafe class MatMulThreads
{
    /// <summary>
    /// Products of fewer FLOPs (2·m·k·n) stay on one thread: 8 MFLOP is about 30 µs at one core's AVX-512 peak
    /// (Zen 5: 266 GFLOP/s) and 60 µs at a 256-bit one, long enough to pay for handing a part to a worker, for the
    /// parts' repeated packing and for the worker reading A and B from the caller's caches. DQN networks of width 128
    /// (batch 64–128) stay below it (measured: splitting their 4 MFLOP products gains nothing); width 256 at batch 256
    /// (34 MFLOP per hidden-layer product) and matmuls from about 160³ up are split.
    /// </summary>
    public const double MinFlops = 8e6;

    /// <summary>
    /// A part gets at least 32 − 8 rows of C (cuts fall on multiples of 8): enough that every part takes the path the
    /// whole would (the kernels choose some paths by the row count, below 16 rows), so the sums keep their order.
    /// </summary>
    public const int MinRowsPerPart = 32;

    /// <summary>
    /// How long an idle worker spins for the next product before it sleeps: longer than the gaps between the split
    /// products of one DQN update (the small layers and elementwise passes between them), short enough that a worker
    /// whose caller has moved on to other work gives its core back within a fraction of a scheduler tick.
    /// </summary>
    public static readonly TimeSpan SpinTime = TimeSpan.FromMicroseconds(200);

    /// <summary>
    /// The most saved time the balance keeps: enough that a quiet machine's hiccups (a kernel thread preempting the
    /// worker for a few hundred microseconds) are paid from recent savings; far less than the scheduler slices a
    /// busy core costs, so lasting contention empties it at once.
    /// </summary>
    public static readonly TimeSpan MaxCredit = TimeSpan.FromMilliseconds(2);

    /// <summary>How long products stay on one thread after a first loss.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Splits between two spells below which they count as lasting contention: a worker sharing its core with a busy
    /// process is preempted within a part about once in tens of splits.
    /// </summary>
    public const int CalmSplits = 1_000;

    /// <summary>The longest one-thread spell, after repeated losses.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

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

    // Time the recent splits saved, in Stopwatch ticks (Settle); after a loss, products stay on the caller until
    // s_soloUntil (a timestamp); s_backoff is the last spell's length.
    private static long s_credit, s_soloUntil, s_splitsAtLastSpell, s_backoff = Ticks(FirstBackoff);

    private static long s_spells;

    /// <summary>
    /// Products split across the pool since the process started: the generation of the latest one (workers watch it
    /// for the next product; tests check that a split happened).
    /// </summary>
    internal static long SplitCount => Volatile.Read(ref s_state) >> 32;

    /// <summary>One-thread spells since the process started (<see cref="Backoff"/>).</summary>
    internal static long SpellCount => Volatile.Read(ref s_spells);

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
                // A new setting starts afresh, without a spell or a balance from the old one.
                Volatile.Write(ref s_soloUntil, 0);
                s_credit = 0;
                s_backoff = Ticks(FirstBackoff);
            }
        }
    }

    /// <summary>
    /// True when a product of m rows, depth k and n columns would be split now: more than one thread, at least
    /// <see cref="MinFlops"/>, rows for two parts, and no one-thread spell under way. The fused one-thread paths
    /// (bias and ReLU inside the tiles) step aside only then; their values are the same either way.
    /// </summary>
    public static bool WouldSplit(int m, int k, int n) =>
        Math.Min(Threads, m / MinRowsPerPart) >= 2 && 2.0 * m * k * n >= MinFlops
        && Stopwatch.GetTimestamp() >= Volatile.Read(ref s_soloUntil);

    /// <summary>
    /// Runs <paramref name="product"/> over C's rows, split across the pool when <see cref="WouldSplit"/> and the pool
    /// is free; otherwise on this thread alone.
    /// </summary>
    public static void Run(delegate*<MatMulKernel, StridedMatrix, StridedMatrix, float*, int, int, int, bool, void> product,
        MatMulKernel kernel, StridedMatrix a, StridedMatrix b, float* c, int m, int k, int n, bool accumulate)
    {
        if (!WouldSplit(m, k, n) || !Gate.TryEnter())
        {
            product(kernel, a, b, c, m, k, n, accumulate);
            return;
        }
        int parts = Math.Min(Threads, m / MinRowsPerPart);
        try
        {
            s_product = product;
            s_c = c;
            (s_kernel, s_a, s_b, s_m, s_k, s_n, s_parts, s_accumulate) = (kernel, a, b, m, k, n, parts, accumulate);
            Volatile.Write(ref s_finished, 0);
            long generation = SplitCount + 1;
            Volatile.Write(ref s_state, generation << 32);
            Worker[] workers = s_workers;
            bool woken = false;
            for (int w = 0; w < parts - 1; w++)
                woken |= workers[w].WakeIfAsleep();
            long start = Stopwatch.GetTimestamp();
            int ownParts = RunParts(generation);
            // Parts a worker claimed are under way: wait for them (the unclaimed ones this thread already ran).
            long ownTime = Stopwatch.GetTimestamp() - start;
            while (Volatile.Read(ref s_finished) < parts)
                Thread.SpinWait(20);
            // Time saved against running every part here: this thread's time per part × parts, minus the time taken.
            // Not booked: a split that had to wake a sleeping worker (its wake-up is the price of the first product after
            // a pause, not contention; booking it would end every spell with a loss and start the next), or one whose
            // parts a worker all took while this thread was descheduled (nothing to judge by).
            long taken = Stopwatch.GetTimestamp() - start;
            if (!woken && ownParts > 0)
                Settle(ownTime * parts / ownParts - taken);
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>
    /// Books one split's time saved (negative: lost) against the splits before it. Savings are kept up to
    /// <see cref="MaxCredit"/>; when the balance falls below zero the splits lately cost more than they saved and the
    /// products stay on this thread for a spell (<see cref="Backoff"/>).
    /// </summary>
    private static void Settle(long saved)
    {
        s_credit = Math.Min(s_credit + saved, Ticks(MaxCredit));
        if (s_credit < 0)
            Backoff();
    }

    /// <summary>
    /// Starts a spell of one-thread products with an empty balance. A spell needed within <see cref="CalmSplits"/>
    /// splits of the previous one means lasting contention and doubles the spell, up to <see cref="MaxBackoff"/>;
    /// a later one halves it, down to <see cref="FirstBackoff"/>.
    /// </summary>
    private static void Backoff()
    {
        long splits = SplitCount;
        s_backoff = splits - s_splitsAtLastSpell < CalmSplits
            ? Math.Min(2 * s_backoff, Ticks(MaxBackoff))
            : Math.Max(s_backoff / 2, Ticks(FirstBackoff));
        s_splitsAtLastSpell = splits;
        Solo(s_backoff);
    }

    /// <summary>Keeps every product on its caller for <paramref name="ticks"/> from now, with an empty balance after.</summary>
    internal static void Solo(long ticks)
    {
        s_credit = 0;
        Volatile.Write(ref s_soloUntil, Stopwatch.GetTimestamp() + ticks);
        Interlocked.Increment(ref s_spells);
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Claims and runs parts of product <paramref name="generation"/> until none is left; returns how many it ran.</summary>
    private static int RunParts(long generation)
    {
        int ran = 0;
        while (true)
        {
            long state = Volatile.Read(ref s_state);
            int part = (int)(state & 0xFFFF_FFFF);
            if (state >> 32 != generation || part >= s_parts)
                return ran;
            if (Interlocked.CompareExchange(ref s_state, state + 1, state) != state)
                continue;
            // Rows [first, last) of C: equal shares, cut at multiples of 8.
            int first = RowAt(part), last = RowAt(part + 1);
            s_product(s_kernel, new StridedMatrix(s_a.At(first, 0), s_a.RowStride, s_a.ColStride), s_b, s_c + (nint)first * s_n,
                last - first, s_k, s_n, s_accumulate);
            Interlocked.Increment(ref s_finished);
            ran++;
        }
    }

    private static int RowAt(int part) => part == s_parts ? s_m : (int)((long)s_m * part / s_parts) & ~7;

    /// <summary>A background thread that spins, then sleeps, until there is a product to help with.</summary>
    private sealed class Worker
    {
        private static readonly long SpinTicks = Ticks(SpinTime);
        private readonly SemaphoreSlim _wake = new(0);
        private int _asleep;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"TinyTorch matmul worker {index + 1}" };
            thread.Start();
        }

        /// <summary>Wakes the worker if it went to sleep (a spinning one sees the new product by itself); true if it slept.</summary>
        public bool WakeIfAsleep()
        {
            if (Interlocked.Exchange(ref _asleep, 0) == 0)
                return false;
            _wake.Release();
            return true;
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                if (!SpinForNext(seen))
                {
                    // Announce sleep, then look once more: a caller that published a product before seeing the flag
                    // has not released the semaphore, so this worker must not wait for it.
                    Volatile.Write(ref _asleep, 1);
                    Interlocked.MemoryBarrier();
                    if (SplitCount == seen || Interlocked.Exchange(ref _asleep, 0) == 0)
                        _wake.Wait();
                }
                seen = SplitCount;
                RunParts(seen);
            }
        }

        /// <summary>Spins up to <see cref="SpinTime"/> for a product newer than <paramref name="seen"/>.</summary>
        private static bool SpinForNext(long seen)
        {
            long deadline = Stopwatch.GetTimestamp() + SpinTicks;
            while (SplitCount == seen)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                    return false;
                Thread.SpinWait(20);
            }
            return true;
        }
    }
}
