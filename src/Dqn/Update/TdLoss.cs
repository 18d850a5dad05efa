namespace Dqn.Update;

/// <summary>ℓ(δ), the loss of one TD error δ = Q(s, a) − y; the update averages it over the batch.</summary>
public enum TdLoss
{
    /// <summary>Huber, PyTorch's <c>smooth_l1_loss</c>: ½δ²/β for |δ| &lt; β, else |δ| − ½β (slope ±1 far from 0, so outliers do not dominate).</summary>
    Huber,

    /// <summary>Squared error δ², PyTorch's <c>mse_loss</c> (CleanRL's dqn.py).</summary>
    Mse,
}
