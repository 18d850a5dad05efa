using System.Diagnostics;
using CartPole;
using CartPole.Rendering;

namespace ScratchRl.Commands;

/// <summary>Plays text frames in place at the environment's real time (τ = 0.02 s per frame): each frame redraws the previous one.</summary>
public sealed class CartPoleTerminalAnimation(TextWriter output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _first = true;
    private long _frames;

    public void Show(string frame)
    {
        if (!_first)
        {
            // Wait for this frame's time, then move the cursor back to the first line of the previous frame.
            var due = TimeSpan.FromSeconds(_frames * CartPolePhysics.Tau);
            var wait = due - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
                Thread.Sleep(wait);
            output.Write($"\u001b[{TextRenderer.Height}A\r");
        }
        foreach (string line in frame.Split('\n'))
            output.Write(line + "\u001b[K\n");
        output.Flush();
        _first = false;
        _frames++;
    }
}
