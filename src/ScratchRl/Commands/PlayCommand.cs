using Training.Evaluation;
using System.Globalization;
using CartPole.Rendering;
using Training.Config;
using Dqn.Training;
using ScratchRl.Cli;
using Spectre.Console.Cli;
using Training.Runs;
using TinyTorch.IO;

namespace ScratchRl.Commands;

/// <summary>
/// <c>scratchrl play</c>: one greedy (or, for a PPO or REINFORCE agent with <c>--stochastic</c>, sampled) CartPole-v1 episode of a saved model, animated in the terminal at real time
/// (50 frames per second), or written as an animated SVG with <c>--svg</c>. When the output is not a terminal only
/// the result line is printed.
/// </summary>
public sealed class PlayCommand : Command<PlaySettings>
{
    public override int Execute(CommandContext context, PlaySettings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(settings.Model))
            throw new UsageException("missing --model <FILE> (e.g. runs/fast-1/model.safetensors).");
        ulong seed = settings.Seed is { } s ? TrainArguments.ULong("--seed", s) : new TrainConfig().EvalSeed;
        var options = EvalCommand.CartPoleOptionsFor(settings.MaxEpisodeSteps);
        if (settings.Svg is { } target)
            OutputFile.Check("--svg", target);
        var model = EvalCommand.LoadForCartPole(settings.Model, settings.Stochastic ? seed : null);
        var episode = CartPoleEpisode.Play(model.Policy, options, seed);

        var inv = CultureInfo.InvariantCulture;
        string ending = episode.Truncated
            ? $"balanced until the time limit ({episode.Length} steps)"
            : $"the pole fell or the cart left the track after {episode.Length} steps";
        string line = string.Create(inv, $"seed {seed}: return {episode.Return:0}, {ending}.");
        if (settings.Svg is { } svg)
        {
            OutputFile.Write("--svg", svg, path =>
                AtomicFile.WriteAllText(path, SvgAnimation.Render(episode.States, $"{Path.GetFileName(settings.Model)}, seed {seed}: return {episode.Return.ToString("0", inv)}")));
            Console.Out.WriteLine(line);
            Console.Out.WriteLine($"wrote {svg} ({episode.States.Count} frames).");
            return ScratchRlApp.Success;
        }
        if (!Console.IsOutputRedirected)
        {
            var animation = new CartPoleTerminalAnimation(Console.Out);
            for (int t = 0; t < episode.States.Count && !cancellationToken.IsCancellationRequested; t++)
                animation.Show(TextRenderer.Render(episode.States[t], t, color: true));
        }
        Console.Out.WriteLine(line);
        return ScratchRlApp.Success;
    }
}
