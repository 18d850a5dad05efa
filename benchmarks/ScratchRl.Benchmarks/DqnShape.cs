namespace ScratchRl.Benchmarks;

/// <summary>A 4-H-H-2 network trained on batches of B: one row of the DQN update benchmark.</summary>
public readonly record struct DqnShape(int Hidden, int Batch)
{
    public override string ToString() => $"4-{Hidden}-{Hidden}-2, B={Batch}";
}
