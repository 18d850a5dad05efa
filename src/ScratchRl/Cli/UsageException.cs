namespace ScratchRl.Cli;

/// <summary>A bad command-line value: reported as one line with exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
