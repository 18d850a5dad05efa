using ScratchRl.Cli;
using Training.Config;

namespace ScratchRl.Commands;

/// <summary>
/// Turns the text of a flag into its value, or a <see cref="UsageException"/> that names the flag, what it got and
/// what it expects, with the parsers of the config's kinds of value (<see cref="ConfigValues"/>).
/// </summary>
internal static class TrainArguments
{
    public static int Int(string flag, string text) => Parse(ConfigValues.Int, flag, text);

    public static ulong ULong(string flag, string text) => Parse(ConfigValues.ULong, flag, text);

    /// <summary><paramref name="value"/>, the value of <paramref name="flag"/>, when it is at least 1 (a count).</summary>
    /// <exception cref="UsageException">"<paramref name="flag"/> must be at least 1, got …."</exception>
    public static int AtLeastOne(string flag, int value) =>
        value >= 1 ? value : throw new UsageException($"{flag} must be at least 1, got {value}.");

    /// <summary>The value of kind <paramref name="kind"/> that <paramref name="text"/> spells.</summary>
    /// <exception cref="UsageException">"<paramref name="flag"/> must be …, got '…'."</exception>
    public static T Parse<T>(ConfigValue<T> kind, string flag, string text) =>
        kind.TryParse(text, out T value) ? value : throw new UsageException($"{flag} must be {kind.Expected}, got '{text}'.");
}
