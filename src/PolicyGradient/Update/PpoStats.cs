namespace PolicyGradient.Update;

/// <summary>
/// The statistics CleanRL's ppo.py logs for one update, computed before its optimizer step: the loss and its terms,
/// the mean entropy, approx_kl = mean((r − 1) − log r) (Schulman's k3 estimator of KL(π_old ‖ π)) and the fraction of
/// rows whose ratio r = π/π_old left [1 − ε, 1 + ε].
/// </summary>
public readonly record struct PpoStats(float Loss, float PgLoss, float VLoss, float Entropy, float ApproxKl, float ClipFrac);
