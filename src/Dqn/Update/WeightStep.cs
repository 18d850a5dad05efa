namespace Dqn.Update;

/// <summary>
/// One weight followed through the optimizer step: its value <see cref="Before"/>, the gradient the optimizer used
/// (after clipping), the <see cref="Step"/> the update rule subtracts (lr·g for plain SGD, lr·m̂/(√v̂ + ε) for Adam;
/// null for other rules) and the value <see cref="After"/> as read back from the network.
/// </summary>
public sealed record WeightStep(string Name, int[] Index, float Before, float Grad, double LearningRate, double? Step, AdamView? Adam, float After);
