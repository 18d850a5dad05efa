namespace CartPole;

/// <summary>
/// A run of float64 lanes stepped together: 8 (<see cref="Lanes512"/>), 4 (<see cref="Lanes256"/>) or 2
/// (<see cref="Lanes128"/>). The vector step is written once, generic over <c>TLanes : ILanes&lt;TLanes&gt;</c>; the JIT
/// compiles it once per width with every member inlined to the vector instruction. Only separate multiplies, adds,
/// subtractions and divisions are offered: each rounded once, as <see cref="CartPolePhysics.Step"/> rounds (no FMA).
/// </summary>
internal interface ILanes<TSelf> where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Doubles per value.</summary>
    static abstract int Count { get; }

    static abstract TSelf Create(double value);

    static abstract TSelf Load(ref double source, nuint offset);

    static abstract void Store(TSelf value, ref double destination, nuint offset);

    static abstract TSelf operator +(TSelf left, TSelf right);

    static abstract TSelf operator -(TSelf left, TSelf right);

    static abstract TSelf operator *(TSelf left, TSelf right);

    static abstract TSelf operator /(TSelf left, TSelf right);
}
