namespace TinyTorch.Nn;

/// <summary>What a non-strict <see cref="Module.LoadStateDict"/> skipped (PyTorch's <c>_IncompatibleKeys</c>); both empty after a strict load.</summary>
public sealed record StateDictLoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
