using Dqn.Replay;

namespace Dqn.Training;

/// <summary>
/// Watches the gradient steps of a <see cref="DqnTrainer"/>: <see cref="Before"/> sees the sampled minibatch and the
/// networks and optimizer as they are before update number n (1-based), <see cref="After"/> the same objects after it.
/// <c>train --explain-update</c> and <c>--dump-update</c> are built on it.
/// </summary>
public interface IUpdateObserver
{
    /// <summary>Update <paramref name="update"/> is about to run on <paramref name="batch"/>.</summary>
    void Before(long update, DqnTrainer trainer, ReplayBatch batch);

    /// <summary>Update <paramref name="update"/> ran; <paramref name="loss"/> is its loss.</summary>
    void After(long update, DqnTrainer trainer, float loss);
}
