using System.Globalization;
using System.Text.Json;
using CartPole;
using ScratchRl.Cli;

namespace ScratchRl.Commands;

/// <summary>One episode to replay: a name, an exact float64 start state and the actions to take.</summary>
public sealed record CartPoleCase(string Name, CartPoleState State, int[] Actions)
{
    /// <summary>
    /// Reads a cases file: one JSON object a line, <c>{"name":..., "state":[4 numbers], "actions":[0 or 1, ...]}</c>
    /// (other members, such as the reference file's <c>steps</c>, are ignored; blank lines are skipped). Every line is
    /// checked before anything runs, so a bad file prints nothing but one error naming the line.
    /// </summary>
    public static List<CartPoleCase> LoadFile(string path)
    {
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"cannot read the cases file '{path}': {e.Message}");
        }

        var cases = new List<CartPoleCase>();
        int lineNumber = 0;
        foreach (string line in lines)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                cases.Add(ParseLine(line));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new UsageException($"cases file '{path}' line {lineNumber}: {e.Message}");
            }
        }
        return cases;
    }

    private static CartPoleCase ParseLine(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException($"expected a JSON object, got {Describe(root)}.");

        if (!root.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
            throw new FormatException("expected \"name\" to be a string.");
        string name = nameElement.GetString()!;

        if (!root.TryGetProperty("state", out var stateElement) || stateElement.ValueKind != JsonValueKind.Array
            || stateElement.GetArrayLength() != 4)
            throw new FormatException($"case '{name}': expected \"state\" to be an array of 4 numbers [x, x_dot, theta, theta_dot].");
        var s = new double[4];
        for (int k = 0; k < 4; k++)
        {
            var v = stateElement[k];
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out s[k]) || !double.IsFinite(s[k]))
                throw new FormatException($"case '{name}': state[{k}] must be a finite number, got {Describe(v)}.");
        }

        if (!root.TryGetProperty("actions", out var actionsElement) || actionsElement.ValueKind != JsonValueKind.Array)
            throw new FormatException($"case '{name}': expected \"actions\" to be an array of 0 and 1.");
        var actions = new int[actionsElement.GetArrayLength()];
        int i = 0;
        foreach (var a in actionsElement.EnumerateArray())
        {
            if (a.ValueKind != JsonValueKind.Number || !a.TryGetInt32(out int action) || (action != 0 && action != 1))
                throw new FormatException($"case '{name}': actions[{i}] must be 0 or 1, got {Describe(a)}.");
            actions[i++] = action;
        }
        return new CartPoleCase(name, new CartPoleState(s[0], s[1], s[2], s[3]), actions);
    }

    /// <summary>Parses <c>--state "x,x_dot,theta,theta_dot"</c>: four finite numbers, any sign, decimal or exponent form.</summary>
    public static CartPoleState ParseState(string text)
    {
        string[] parts = text.Split(',');
        if (parts.Length != 4)
            throw new UsageException($"--state needs 4 comma-separated numbers x,x_dot,theta,theta_dot, got {parts.Length}: '{text}'.");
        var s = new double[4];
        string[] names = ["x", "x_dot", "theta", "theta_dot"];
        for (int k = 0; k < 4; k++)
        {
            string part = parts[k].Trim();
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out s[k]))
                throw new UsageException($"--state: {names[k]} must be a number, got '{part}'.");
            if (!double.IsFinite(s[k]))
                throw new UsageException($"--state: {names[k]} must be finite, got '{part}'.");
        }
        return new CartPoleState(s[0], s[1], s[2], s[3]);
    }

    /// <summary>Parses <c>--actions "0,1,1"</c>: a comma-separated list of 0 and 1.</summary>
    public static int[] ParseActions(string text)
    {
        string[] parts = text.Split(',');
        var actions = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i].Trim();
            actions[i] = part switch
            {
                "0" => 0,
                "1" => 1,
                _ => throw new UsageException($"--actions: action {i + 1} must be 0 or 1, got '{part}'."),
            };
        }
        return actions;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Number => e.GetRawText(),
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };
}
