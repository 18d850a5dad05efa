using TinyTorch;

namespace PolicyGradient.Update;

/// <summary>
/// Every intermediate value of one <see cref="PpoUpdate.Step"/>, in the order it computes them, for a person to follow
/// (<c>scratchrl ppo-update --explain</c>). Per row [B]: log π(a|s) now and at acting time, the ratio r and whether
/// |r − 1| &gt; ε, the advantage as used (normalised or not), both surrogate terms −Â·r and −Â·clip(r), the new value,
/// both value losses (the clipped one null without value clipping) and the entropy. Then the advantage's mean and
/// std when normalised, the statistics, the gradient norms before clipping, the clipping factor, and one weight's Adam step.
/// </summary>
public sealed record PpoExplanation(
    Tensor NewLogProbs, Tensor OldLogProbs, Tensor Ratios, bool[] Clipped, Tensor Advantages,
    Tensor PgLoss1, Tensor PgLoss2, Tensor NewValues, Tensor VLossUnclipped, Tensor? VLossClipped, Tensor Entropies,
    (float Mean, float Std)? AdvantageMoments, PpoStats Stats,
    ParameterGradNorm[] GradNorms, double TotalGradNorm, double? ClipFactor, AdamWeightStep? Weight);
