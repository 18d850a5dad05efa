using Training.Config;
using Dqn.Update;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace Dqn.Tests.Update;

/// <summary>
/// A random Q-update problem of the sizes the hidden PyTorch cases use: 1–3 hidden layers of widths 1, 5, 17, 33, 64
/// or 130, 2–5 actions, 3–7 inputs, batches of 1–129; the switches cycle with the seed so that every combination of
/// loss × optimizer × Double DQN × clipping appears.
/// </summary>
internal sealed class RandomProblem
{
    private static readonly int[] Widths = [1, 5, 17, 33, 64, 130];

    public RandomProblem(int seed, int outputsPerAction = 0)
    {
        Seed = seed;
        var rng = new Rng((ulong)seed + 1000);
        int hidden = 1 + rng.NextInt(3);
        Sizes = new int[hidden + 2];
        Sizes[0] = 3 + rng.NextInt(5);
        for (int l = 1; l <= hidden; l++)
            Sizes[l] = Widths[rng.NextInt(Widths.Length)];
        ActionCount = 2 + rng.NextInt(4);
        Sizes[^1] = ActionCount + outputsPerAction;
        BatchSize = 1 + rng.NextInt(129);
        Adam = (seed / 2) % 2 == 0;
        Lr = Adam ? 1e-2 : 5e-2;
        Steps = 1 + rng.NextInt(3);
        Config = new QUpdateConfig
        {
            Gamma = 0.5 + 0.5 * rng.NextDouble(),
            Loss = seed % 2 == 0 ? LossKind.Huber : LossKind.Mse,
            DoubleDqn = (seed / 4) % 2 == 1,
            MaxGradNorm = (seed / 8) % 2 == 1 ? 0.5 : null,
        };

        Online = Sequential.Mlp(rng, Sizes);
        TargetState = Sequential.Mlp(rng, Sizes).StateDict();
        int d = Sizes[0], b = BatchSize;
        Observations = Torch.Randn(rng, b * d).Data;
        NextObservations = Torch.Randn(rng, b * d).Data;
        Rewards = Torch.Uniform(rng, -2f, 2f, b).Data;
        Dones = new float[b];
        Actions = new int[b];
        for (int i = 0; i < b; i++)
        {
            Dones[i] = rng.NextDouble() < 0.25 ? 1f : 0f;
            Actions[i] = rng.NextInt(ActionCount);
        }
    }

    public int Seed { get; }

    public int[] Sizes { get; }

    public int ActionCount { get; }

    public int BatchSize { get; }

    public bool Adam { get; }

    public double Lr { get; }

    public int Steps { get; }

    public QUpdateConfig Config { get; }

    /// <summary>The initial online network; <see cref="CopyOfOnline"/> gives independent copies to update.</summary>
    public Sequential Online { get; }

    public IReadOnlyDictionary<string, Tensor> TargetState { get; }

    public float[] Observations { get; }

    public float[] NextObservations { get; }

    public float[] Rewards { get; }

    public float[] Dones { get; }

    public int[] Actions { get; }

    public Sequential CopyOfOnline() => Sequential.MlpFromStateDict(Weights.Snapshot(Online));

    public Sequential Target() => Sequential.MlpFromStateDict(TargetState);

    public Optimizer OptimizerFor(Sequential network) =>
        Adam ? new Adam(network.Parameters(), Lr) : new SGD(network.Parameters(), Lr);

    public QBatch Batch() => new(
        new Tensor((float[])Observations.Clone(), BatchSize, Sizes[0]),
        (int[])Actions.Clone(),
        new Tensor((float[])Rewards.Clone(), BatchSize),
        new Tensor((float[])NextObservations.Clone(), BatchSize, Sizes[0]),
        new Tensor((float[])Dones.Clone(), BatchSize));

    public override string ToString() =>
        $"seed {Seed}: {string.Join("-", Sizes)}, batch {BatchSize}, {Config.Loss}, {(Adam ? "Adam" : "SGD")}, double {Config.DoubleDqn}, clip {Config.MaxGradNorm?.ToString() ?? "off"}, {Steps} steps";
}
