using Training.Config;
using Dqn.Update;
using TinyTorch;
using TinyTorch.Nn;
using TinyTorch.Optim;

namespace Dqn.Tests.Update;

/// <summary>
/// A random Q-update problem of the sizes the hidden PyTorch cases use: 1–3 hidden layers of widths 1, 5, 17, 33, 64
/// or 130, 2–5 actions, 3–7 inputs, batches of 1–129, 1–3 steps. The seed's low seven bits switch the features, so
/// seeds 0–127 cover the whole matrix: per-transition discounts (bit 0), importance-sampling weights (1), Double DQN (2),
/// the dueling head (3), MSE instead of Huber (4), gradient clipping (5), SGD instead of Adam (6).
/// </summary>
internal sealed class RandomProblem
{
    private static readonly int[] Widths = [1, 5, 17, 33, 64, 130];

    /// <summary>Every combination of the seven features, once.</summary>
    public const int FeatureCombinations = 128;

    public RandomProblem(int seed)
    {
        Seed = seed;
        bool Bit(int b) => ((seed >> b) & 1) == 1;
        var rng = new Rng((ulong)seed + 1000);
        int hidden = 1 + rng.NextInt(3);
        Sizes = new int[hidden + 2];
        Sizes[0] = 3 + rng.NextInt(5);
        for (int l = 1; l <= hidden; l++)
            Sizes[l] = Widths[rng.NextInt(Widths.Length)];
        ActionCount = 2 + rng.NextInt(4);
        Dueling = Bit(3);
        Sizes[^1] = Dueling ? ActionCount + 1 : ActionCount;
        BatchSize = 1 + rng.NextInt(129);
        Adam = !Bit(6);
        Lr = Adam ? 1e-2 : 5e-2;
        Steps = 1 + rng.NextInt(3);
        Config = new QUpdateConfig
        {
            Gamma = 0.5 + 0.5 * rng.NextDouble(),
            Loss = Bit(4) ? LossKind.Mse : LossKind.Huber,
            HuberBeta = rng.NextInt(3) == 0 ? 0.5 : 1.0,
            DoubleDqn = Bit(2),
            MaxGradNorm = Bit(5) ? 0.5 : null,
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
        if (Bit(0))
        {
            // γ, γ² or γ³: transitions of 1-, 2- and 3-step returns
            Discounts = new float[b];
            for (int i = 0; i < b; i++)
                Discounts[i] = (float)Math.Pow(Config.Gamma, 1 + rng.NextInt(3));
        }
        if (Bit(1))
            Weights = Torch.Uniform(rng, 0.1f, 1f, b).Data;
    }

    public int Seed { get; }

    public int[] Sizes { get; }

    public int ActionCount { get; }

    public bool Dueling { get; }

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

    /// <summary>dᵢ, or null (γ for all).</summary>
    public float[]? Discounts { get; }

    /// <summary>wᵢ, or null (1 for all).</summary>
    public float[]? Weights { get; }

    public Sequential CopyOfOnline() => Sequential.MlpFromStateDict(Update.Weights.Snapshot(Online));

    public Sequential Target() => Sequential.MlpFromStateDict(TargetState);

    public Optimizer OptimizerFor(Sequential network) =>
        Adam ? new Adam(network.Parameters(), Lr) : new SGD(network.Parameters(), Lr);

    public QBatch Batch() => new(
        new Tensor((float[])Observations.Clone(), BatchSize, Sizes[0]),
        (int[])Actions.Clone(),
        new Tensor((float[])Rewards.Clone(), BatchSize),
        new Tensor((float[])NextObservations.Clone(), BatchSize, Sizes[0]),
        new Tensor((float[])Dones.Clone(), BatchSize),
        Discounts is null ? null : new Tensor((float[])Discounts.Clone(), BatchSize),
        Weights is null ? null : new Tensor((float[])Weights.Clone(), BatchSize));

    /// <summary>The same problem as a double-precision reference sees it.</summary>
    public DoubleQUpdate.Problem ForDoubleReference() => new(
        Observations, Actions, Rewards, NextObservations, Dones, Discounts, Weights,
        Config, Dueling, Adam, Lr);

    public override string ToString() =>
        $"seed {Seed}: {string.Join("-", Sizes)}{(Dueling ? " dueling" : "")}, batch {BatchSize}, {Config.Loss} (β {Config.HuberBeta}), {(Adam ? "Adam" : "SGD")}, "
        + $"double {Config.DoubleDqn}, clip {Config.MaxGradNorm?.ToString() ?? "off"}, discounts {Discounts is not null}, weights {Weights is not null}, {Steps} steps";
}
