namespace PolicyGradient.Update;

/// <summary>‖∂L/∂p‖₂ of one parameter tensor (before clipping), named by its state-dict key (<c>actor.0.weight</c>).</summary>
public sealed record ParameterGradNorm(string Name, int[] Shape, double Norm);
