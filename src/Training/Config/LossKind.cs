namespace Training.Config;

/// <summary>ℓ(δ), the loss of one TD error δ = Q(s, a) − y; the update averages it over the batch.</summary>
public enum LossKind
{
    /// <summary>PyTorch's <c>smooth_l1_loss</c> with β = 1: ½δ² for |δ| &lt; 1, else |δ| − ½ (SB3's DQN loss).</summary>
    Huber,

    /// <summary>Mean squared error δ² (CleanRL's <c>F.mse_loss</c>).</summary>
    Mse,
}
