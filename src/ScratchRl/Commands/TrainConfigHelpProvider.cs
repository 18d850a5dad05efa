using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;
using Training.Config;

namespace ScratchRl.Commands;

/// <summary>
/// Spectre.Console.Cli's help, plus, for the commands that take config flags (<c>train</c>, <c>sweep</c>), a
/// CONFIG FLAGS section made from <see cref="TrainConfigFields"/>: each flag with its placeholder, its doc, its JSON
/// key, the <c>fast</c> preset's value and the valid values. Rows are plain <see cref="Text"/>, never markup, so
/// docs such as "in [0, 1]" print as written.
/// </summary>
internal sealed class TrainConfigHelpProvider(ICommandAppSettings settings, params string[] commands) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetOptions(ICommandModel model, ICommandInfo? command)
    {
        var sections = base.GetOptions(model, command).ToList();
        if (command is null || !commands.Contains(command.Name))
            return sections;

        sections.Add(new Text($"{Environment.NewLine}CONFIG FLAGS ([config.json key = the {Presets.Default} preset's value; valid values]):{Environment.NewLine}"));
        var grid = new Grid();
        grid.AddColumn(new GridColumn { Padding = new Padding(4, 0, 4, 0), NoWrap = true });
        grid.AddColumn(new GridColumn { Padding = new Padding(0, 0) });
        var defaults = Presets.Get(Presets.Default);
        foreach (var field in TrainConfigFields.All.Where(f => f.Flag is not null && !f.FlagOwnedByCommand))
        {
            string flag = field.IsSwitch ? $"{field.Flag}, {field.NegatedFlag}" : $"{field.Flag} <{field.Placeholder}>";
            string valid = field.Valid.Length > 0 ? $"; {field.Valid}" : "";
            grid.AddRow(new Text(flag), new Text($"{field.Doc} [{field.Key} = {field.Show(defaults)}{valid}]"));
        }
        sections.Add(grid);
        return sections;
    }
}
