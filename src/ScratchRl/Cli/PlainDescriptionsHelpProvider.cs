using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace ScratchRl.Cli;

/// <summary>
/// Spectre.Console.Cli's help, with every description made safe to render. Spectre reads a command's or an option's
/// description as markup, so plain text such as <c>γ in [0, 1]</c> or <c>τ in (0, 1]</c> makes <c>--help</c> fail
/// ("malformed markup tag"). This provider hands the stock <see cref="HelpProvider"/> a view of the command model
/// whose descriptions are escaped with <see cref="Markup.Escape"/> unless they already are valid markup, so escaping a
/// description at its source stays correct (it is not escaped twice) and a description someone forgets to escape
/// still prints as written.
/// </summary>
internal sealed class PlainDescriptionsHelpProvider(IHelpProvider inner) : IHelpProvider
{
    private readonly IHelpProvider _inner = inner;

    public IEnumerable<IRenderable> Write(ICommandModel model, ICommandInfo? command) =>
        _inner.Write(new SafeModel(model), command is null ? null : new SafeCommand(command, parent: null));

    /// <summary><paramref name="text"/> unchanged when it parses as markup, else escaped.</summary>
    internal static string? Safe(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        try
        {
            _ = new Markup(text);
            return text;
        }
        catch (InvalidOperationException)
        {
            return Markup.Escape(text);
        }
    }

    private static IReadOnlyList<ICommandInfo> Wrap(IReadOnlyList<ICommandInfo> commands, ICommandInfo? parent) =>
        [.. commands.Select(c => new SafeCommand(c, parent))];

    private sealed class SafeModel(ICommandModel model) : ICommandModel
    {
        public string ApplicationName => model.ApplicationName;
        public string? ApplicationVersion => model.ApplicationVersion;
        public IReadOnlyList<string[]> Examples => model.Examples;
        public IReadOnlyList<ICommandInfo> Commands => Wrap(model.Commands, null);
        public ICommandInfo? DefaultCommand => model.DefaultCommand is { } d ? new SafeCommand(d, null) : null;
    }

    private sealed class SafeCommand(ICommandInfo command, ICommandInfo? parent) : ICommandInfo
    {
        public string Name => command.Name;
        public string? Description => Safe(command.Description);
        public bool IsBranch => command.IsBranch;
        public bool IsDefaultCommand => command.IsDefaultCommand;
        public bool IsHidden => command.IsHidden;
        public IReadOnlyList<ICommandParameter> Parameters => [.. command.Parameters.Select(SafeParameter)];
        public ICommandInfo? Parent => parent ?? (command.Parent is { } p ? new SafeCommand(p, null) : null);
        public IReadOnlyList<string[]> Examples => command.Examples;
        public IReadOnlyList<ICommandInfo> Commands => Wrap(command.Commands, this);
        public ICommandInfo? DefaultCommand => command.DefaultCommand is { } d ? new SafeCommand(d, this) : null;

        private static ICommandParameter SafeParameter(ICommandParameter parameter) => parameter switch
        {
            ICommandOption option => new SafeOption(option),
            ICommandArgument argument => new SafeArgument(argument),
            _ => parameter,
        };
    }

    private sealed class SafeOption(ICommandOption option) : ICommandOption
    {
        public IReadOnlyList<string> LongNames => option.LongNames;
        public IReadOnlyList<string> ShortNames => option.ShortNames;
        public string? ValueName => option.ValueName;
        public bool ValueIsOptional => option.ValueIsOptional;
        public bool IsFlag => option.IsFlag;
        public bool IsRequired => option.IsRequired;
        public string? Description => Safe(option.Description);
        public DefaultValueAttribute? DefaultValue => option.DefaultValue;
        public bool IsHidden => option.IsHidden;
    }

    private sealed class SafeArgument(ICommandArgument argument) : ICommandArgument
    {
        public string Value => argument.Value;
        public int Position => argument.Position;
        public bool IsFlag => argument.IsFlag;
        public bool IsRequired => argument.IsRequired;
        public string? Description => Safe(argument.Description);
        public DefaultValueAttribute? DefaultValue => argument.DefaultValue;
        public bool IsHidden => argument.IsHidden;
    }
}
