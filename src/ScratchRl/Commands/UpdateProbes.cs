using System.Globalization;
using Dqn.Replay;
using Dqn.Training;
using ScratchRl.Cli;
using TinyTorch.IO;
using Training.Config;
using Training.Runs;

namespace ScratchRl.Commands;

/// <summary>
/// <c>train --dump-update K DIR</c> and <c>--explain-update K</c>: attaches an <see cref="UpdateDump"/> to the DQN
/// trainer, and after the run writes case.json and, for the explanation, replays the dumped step through the very code
/// of <c>q-update --explain</c>, then checks the replay lands on the weights training computed.
/// </summary>
internal sealed class UpdateProbes : IUpdateObserver
{
    private readonly UpdateDump? _dump, _explained;
    private readonly string? _scratch;

    private UpdateProbes(UpdateDump? dump, UpdateDump? explained, string? scratch) => (_dump, _explained, _scratch) = (dump, explained, scratch);

    /// <summary>The probes the settings ask for, attached to the run's trainer; null when none is asked for.</summary>
    /// <exception cref="UsageException">A bad K or folder, or a run that is not DQN.</exception>
    public static UpdateProbes? Attach(TrainSettings settings, TrainingRun run)
    {
        if (settings.DumpDir is not null && settings.DumpUpdate is null)
            throw new UsageException($"unexpected argument '{settings.DumpDir}'; a folder argument goes with --dump-update K.");
        if (settings.DumpUpdate is null && settings.ExplainUpdate is null)
            return null;
        if (run.Trainer is not DqnTrainer dqn)
            throw new UsageException($"--dump-update and --explain-update explain DQN gradient steps; this run's algorithm is {run.Config.Algorithm.ToString().ToLowerInvariant()}.");
        UpdateDump? dump = null, explained = null;
        string? scratch = null;
        if (settings.DumpUpdate is { } k)
        {
            if (k < 1)
                throw new UsageException($"--dump-update must be a gradient step number ≥ 1, got {k}.");
            if (string.IsNullOrEmpty(settings.DumpDir))
                throw new UsageException("--dump-update K needs the folder to write the case to: --dump-update K DIR.");
            if (Directory.Exists(settings.DumpDir) && Directory.EnumerateFileSystemEntries(settings.DumpDir).Any())
                throw new UsageException($"--dump-update: '{settings.DumpDir}' already holds files; give a new or empty folder (nothing is overwritten).");
            dump = new UpdateDump(k, settings.DumpDir);
        }
        if (settings.ExplainUpdate is { } e)
        {
            if (e < 1)
                throw new UsageException($"--explain-update must be a gradient step number ≥ 1, got {e}.");
            if (dump?.Update == e)
            {
                explained = dump;
            }
            else
            {
                scratch = Directory.CreateTempSubdirectory("scratchrl-update-").FullName;
                explained = new UpdateDump(e, scratch);
            }
        }
        var probes = new UpdateProbes(dump, explained, scratch);
        dqn.UpdateObserver = probes;
        return probes;
    }

    public void Before(long update, DqnTrainer trainer, ReplayBatch batch)
    {
        _dump?.Before(update, trainer, batch);
        if (!ReferenceEquals(_explained, _dump))
            _explained?.Before(update, trainer, batch);
    }

    public void After(long update, DqnTrainer trainer, float loss)
    {
        _dump?.After(update, trainer, loss);
        if (!ReferenceEquals(_explained, _dump))
            _explained?.After(update, trainer, loss);
    }

    /// <summary>Writes case.json and the explanation; returns the exit code (failure when a step never ran or the replay disagrees).</summary>
    public int Finish(TextWriter output, TrainConfig config, CancellationToken cancellationToken)
    {
        try
        {
            int code = ScratchRlApp.Success;
            if (_dump is not null)
            {
                if (_dump.Written)
                {
                    UpdateCase.WriteCaseJson(_dump, config);
                    output.WriteLine($"dump    {_dump.Folder} (update {_dump.Update}; replay: cd {_dump.Folder} && scratchrl {string.Join(' ', UpdateCase.Args(_dump, config))})");
                }
                else
                {
                    code = NeverRan(output, "--dump-update", _dump.Update);
                }
            }
            if (_explained is not null)
                code = Math.Max(code, _explained.Written ? Explain(output, config, cancellationToken) : NeverRan(output, "--explain-update", _explained.Update));
            return code;
        }
        finally
        {
            if (_scratch is not null)
                Directory.Delete(_scratch, recursive: true);
        }
    }

    private static int NeverRan(TextWriter output, string flag, long update)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{flag}: the run ended before gradient step {update}; nothing was written."));
        return ScratchRlApp.Failure;
    }

    /// <summary>q-update --explain on the dumped step, then the replayed weights against the trainer's.</summary>
    private int Explain(TextWriter output, TrainConfig config, CancellationToken cancellationToken)
    {
        var d = _explained!;
        string replayed = Path.Combine(Path.GetTempPath(), $"scratchrl-replay-{Guid.NewGuid():N}.safetensors");
        try
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Gradient step {d.Update} of this run, replayed by q-update --explain on the batch training sampled:"));
            QUpdateCommand.Run(UpdateCase.Settings(d, config, replayed, explain: true), output, cancellationToken);
            var expected = Safetensors.LoadStateDict(Path.Combine(d.Folder, UpdateDump.ExpectedFile));
            var actual = Safetensors.LoadStateDict(replayed);
            double worst = 0;
            foreach (var (key, tensor) in expected)
            {
                ReadOnlySpan<float> e = tensor.Data, a = actual[key].Data;
                for (int i = 0; i < e.Length; i++)
                    worst = Math.Max(worst, Math.Abs(a[i] - e[i]) / (1e-5 + 1e-4 * Math.Abs(e[i])));
            }
            bool agree = worst <= 1;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"training's own step: loss {d.Loss:R}; the replayed weights {(agree ? "match" : "DO NOT match")} the trainer's (worst element at {worst:0.###} of the tolerance 1e-5 + 1e-4·|w|)."));
            return agree ? ScratchRlApp.Success : ScratchRlApp.Failure;
        }
        finally
        {
            File.Delete(replayed);
        }
    }
}
