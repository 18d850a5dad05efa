using Dqn.Replay;
using Dqn.Update;
using TinyTorch.IO;
using TinyTorch.Optim;

namespace Dqn.Training;

/// <summary>
/// Writes gradient step number <see cref="Update"/> of a training run as a case a learner can replay, in the layout of
/// the reference q-update cases: before the step <c>weights.safetensors</c> and <c>target.safetensors</c> (the online
/// and target networks, marked dueling when they are), <c>batch.safetensors</c> (the minibatch as sampled: <c>obs</c>,
/// <c>actions</c> I64, <c>rewards</c>, <c>next_obs</c>, <c>dones</c> = terminated, <c>discounts</c> = each transition's
/// γⁿ, and with prioritized replay the importance-sampling <c>weights</c>) and, with Adam,
/// <c>optimizer.safetensors</c> (<see cref="AdamStateFile"/>); after it <c>expected.safetensors</c>, the online network
/// as training computed it. Every file is written atomically. What replays it (case.json's arguments) is for the caller
/// to phrase; <see cref="Written"/> and <see cref="Loss"/> say what happened.
/// </summary>
public sealed class UpdateDump : IUpdateObserver
{
    /// <summary>The file names of a case, as the reference cases name them.</summary>
    public const string WeightsFile = "weights.safetensors", TargetFile = "target.safetensors", BatchFile = "batch.safetensors",
        OptimizerFile = "optimizer.safetensors", ExpectedFile = "expected.safetensors";

    /// <param name="update">The gradient step to write, counted from 1.</param>
    /// <param name="folder">Where to write it (created).</param>
    public UpdateDump(long update, string folder)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(update, 1);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        (Update, Folder) = (update, folder);
    }

    /// <summary>The gradient step written (1-based).</summary>
    public long Update { get; }

    /// <summary>The case's folder.</summary>
    public string Folder { get; }

    /// <summary>True once the step ran and every file is written.</summary>
    public bool Written { get; private set; }

    /// <summary>The step's loss as training computed it (NaN until <see cref="Written"/>).</summary>
    public float Loss { get; private set; } = float.NaN;

    /// <summary>True when the batch carries importance-sampling weights (prioritized replay).</summary>
    public bool HasWeights { get; private set; }

    /// <summary>True when Adam's state was written (<see cref="OptimizerFile"/>); false for SGD.</summary>
    public bool HasOptimizerState { get; private set; }

    /// <inheritdoc/>
    public void Before(long update, DqnTrainer trainer, ReplayBatch batch)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(batch);
        if (update != Update)
            return;
        Directory.CreateDirectory(Folder);
        bool dueling = trainer.Config.Dueling;
        ModelFile.SaveNetwork(Path.Combine(Folder, WeightsFile), trainer.QNetwork, dueling);
        ModelFile.SaveNetwork(Path.Combine(Folder, TargetFile), trainer.TargetQNetwork, dueling);
        HasWeights = trainer.Config.Prioritized;
        WriteBatch(Path.Combine(Folder, BatchFile), batch, HasWeights);
        HasOptimizerState = trainer.Optimizer is Adam;
        if (HasOptimizerState)
            AdamStateFile.Save(Path.Combine(Folder, OptimizerFile), trainer.Optimizer, trainer.QNetwork);
    }

    /// <inheritdoc/>
    public void After(long update, DqnTrainer trainer, float loss)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (update != Update)
            return;
        ModelFile.SaveNetwork(Path.Combine(Folder, ExpectedFile), trainer.QNetwork, trainer.Config.Dueling);
        (Loss, Written) = (loss, true);
    }

    private static void WriteBatch(string path, ReplayBatch b, bool withWeights)
    {
        int n = b.BatchSize, d = b.ObservationSize;
        long[] actions = new long[n];
        for (int i = 0; i < n; i++)
            actions[i] = b.Actions[i];
        var entries = new List<SafetensorsEntry>
        {
            SafetensorsEntry.FromArray<float>("obs", b.Observations, [n, d]),
            SafetensorsEntry.FromArray<long>("actions", actions, [n]),
            SafetensorsEntry.FromArray<float>("rewards", b.Rewards, [n]),
            SafetensorsEntry.FromArray<float>("next_obs", b.NextObservations, [n, d]),
            SafetensorsEntry.FromArray<float>("dones", b.Terminated, [n]),
            SafetensorsEntry.FromArray<float>("discounts", b.Discounts, [n]),
        };
        if (withWeights)
            entries.Add(SafetensorsEntry.FromArray<float>("weights", b.Weights, [n]));
        new SafetensorsFile(entries).Write(path);
    }
}
