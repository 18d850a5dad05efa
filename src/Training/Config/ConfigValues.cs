using System.Globalization;
using System.Text.Json;

namespace Training.Config;

/// <summary>The kinds of config values: whole numbers, numbers, switches, lists, choices, and "a value or none".</summary>
public static class ConfigValues
{
    /// <summary>A whole number in the range of <see cref="long"/> (step counts).</summary>
    public static ConfigValue<long> Long { get; } = new WholeNumber<long>(
        (string s, out long v) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v),
        (JsonElement j, out long v) => j.TryGetInt64(out v), (w, v) => w.WriteNumberValue(v), v => v, "a whole number");

    /// <summary>A whole number in the range of <see cref="int"/> (sizes, counts).</summary>
    public static ConfigValue<int> Int { get; } = new WholeNumber<int>(
        (string s, out int v) => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v),
        (JsonElement j, out int v) => j.TryGetInt32(out v), (w, v) => w.WriteNumberValue(v), v => v, "a whole number");

    /// <summary>A seed: 0 … 2⁶⁴ − 1.</summary>
    public static ConfigValue<ulong> ULong { get; } = new WholeNumber<ulong>(
        (string s, out ulong v) => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v),
        (JsonElement j, out ulong v) => j.TryGetUInt64(out v), (w, v) => w.WriteNumberValue(v), v => v, "a whole number ≥ 0");

    /// <summary>A finite number ("1e-3", "0.99"); NaN and infinities are refused as text (JSON cannot hold them).</summary>
    public static ConfigValue<double> Number { get; } = new FiniteNumber();

    /// <summary>A switch: <c>--x</c> / <c>--no-x</c> on the command line, <c>true</c>/<c>false</c> in JSON.</summary>
    public static ConfigValue<bool> Bool { get; } = new Switch();

    /// <summary>Whole numbers: "128,128" on the command line, [128, 128] in JSON.</summary>
    public static ConfigValue<IReadOnlyList<int>> IntList { get; } = new ListOf<int>(Int, "comma-separated whole numbers such as 128,128", "a list of whole numbers such as [128, 128]");

    /// <summary>Numbers: "-2.4,-3" on the command line, [-2.4, -3] in JSON.</summary>
    public static ConfigValue<IReadOnlyList<double>> NumberList { get; } = new ListOf<double>(Number, "comma-separated numbers such as -2.4,-3", "a list of numbers such as [-2.4, -3]");

    /// <summary>One of named values (case-insensitive on the command line, exact in JSON).</summary>
    public static ConfigValue<T> Choice<T>(params (string Name, T Value)[] choices) where T : struct, Enum => new Named<T>(choices);

    /// <summary><paramref name="inner"/>'s values, or null written as <paramref name="noneWord"/> on the command line and null in JSON.</summary>
    public static ConfigValue<T?> Optional<T>(ConfigValue<T> inner, string noneWord) where T : struct => new OrNone<T>(inner, noneWord);

    private delegate bool TryParseText<T>(string text, out T value);

    private delegate bool TryReadJson<T>(JsonElement json, out T value);

    private sealed class WholeNumber<T>(TryParseText<T> parse, TryReadJson<T> read, Action<Utf8JsonWriter, T> write, Func<T, double> number, string expected)
        : ConfigValue<T> where T : IFormattable
    {
        public override string Expected => expected;

        public override string Placeholder => "N";

        public override bool TryParse(string text, out T value) => parse(text.Trim(), out value);

        public override string Text(T value) => value.ToString(null, Inv);

        public override bool TryRead(JsonElement json, out T value)
        {
            value = default!;
            return json.ValueKind == JsonValueKind.Number && read(json, out value);
        }

        public override void Write(Utf8JsonWriter writer, T value) => write(writer, value);

        public override IEnumerable<(string, double)> Numbers(T value) => [("", number(value))];
    }

    private sealed class FiniteNumber : ConfigValue<double>
    {
        public override string Expected => "a number";

        public override string Placeholder => "X";

        public override bool TryParse(string text, out double value) =>
            double.TryParse(text.Trim(), NumberStyles.Float, Inv, out value) && double.IsFinite(value);

        public override string Text(double value) => ValueRange.Show(value);

        public override bool TryRead(JsonElement json, out double value)
        {
            value = 0;
            return json.ValueKind == JsonValueKind.Number && json.TryGetDouble(out value);
        }

        public override void Write(Utf8JsonWriter writer, double value) => writer.WriteNumberValue(value);

        public override IEnumerable<(string, double)> Numbers(double value) => [("", value)];
    }

    private sealed class Switch : ConfigValue<bool>
    {
        public override string Expected => "true or false";

        public override string Placeholder => "";

        public override bool TryParse(string text, out bool value) => bool.TryParse(text.Trim(), out value);

        public override string Text(bool value) => value ? "true" : "false";

        public override bool TryRead(JsonElement json, out bool value)
        {
            value = json.ValueKind == JsonValueKind.True;
            return json.ValueKind is JsonValueKind.True or JsonValueKind.False;
        }

        public override void Write(Utf8JsonWriter writer, bool value) => writer.WriteBooleanValue(value);
    }

    private sealed class ListOf<T>(ConfigValue<T> item, string expected, string expectedJson) : ConfigValue<IReadOnlyList<T>>
    {
        public override string Expected => expected;

        public override string ExpectedJson => expectedJson;

        public override string Placeholder => $"{item.Placeholder},{item.Placeholder},…";

        public override bool TryParse(string text, out IReadOnlyList<T> value)
        {
            var parts = text.Split(',');
            var values = new T[parts.Length];
            value = values;
            for (int i = 0; i < parts.Length; i++)
            {
                if (!item.TryParse(parts[i], out values[i]))
                    return false;
            }
            return true;
        }

        public override string Text(IReadOnlyList<T> value) => string.Join(",", value.Select(item.Text));

        public override string Show(IReadOnlyList<T> value) => $"[{string.Join(", ", value.Select(item.Show))}]";

        public override bool TryRead(JsonElement json, out IReadOnlyList<T> value)
        {
            value = [];
            if (json.ValueKind != JsonValueKind.Array)
                return false;
            var values = new T[json.GetArrayLength()];
            int i = 0;
            foreach (var element in json.EnumerateArray())
            {
                if (!item.TryRead(element, out values[i++]))
                    return false;
            }
            value = values;
            return true;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value)
        {
            writer.WriteStartArray();
            foreach (var v in value)
                item.Write(writer, v);
            writer.WriteEndArray();
        }

        public override IEnumerable<(string, double)> Numbers(IReadOnlyList<T> value)
        {
            for (int i = 0; i < value.Count; i++)
            {
                foreach (var (suffix, number) in item.Numbers(value[i]))
                    yield return ($"[{i}]{suffix}", number);
            }
        }
    }

    private sealed class Named<T>((string Name, T Value)[] choices) : ConfigValue<T> where T : struct, Enum
    {
        public override string Expected => Alternatives(choices.Select(c => c.Name).ToList());

        public override string ExpectedJson => Alternatives(choices.Select(c => $"\"{c.Name}\"").ToList());

        /// <summary>"a or b", "a, b or c".</summary>
        private static string Alternatives(List<string> names) =>
            names.Count <= 2 ? string.Join(" or ", names) : string.Join(", ", names[..^1]) + " or " + names[^1];

        public override string Placeholder => string.Join("|", choices.Select(c => c.Name));

        public override bool TryParse(string text, out T value)
        {
            foreach (var (name, v) in choices)
            {
                if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    value = v;
                    return true;
                }
            }
            value = default;
            return false;
        }

        public override string Text(T value) =>
            choices.FirstOrDefault(c => EqualityComparer<T>.Default.Equals(c.Value, value)).Name
            ?? throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} {value} has no name; expected {Expected}.");

        public override bool TryRead(JsonElement json, out T value)
        {
            value = default;
            if (json.ValueKind != JsonValueKind.String)
                return false;
            string? text = json.GetString();
            foreach (var (name, v) in choices)
            {
                if (name == text)
                {
                    value = v;
                    return true;
                }
            }
            return false;
        }

        public override void Write(Utf8JsonWriter writer, T value) => writer.WriteStringValue(Text(value));
    }

    private sealed class OrNone<T>(ConfigValue<T> inner, string noneWord) : ConfigValue<T?> where T : struct
    {
        public override string Expected => $"{inner.Expected} or {noneWord}";

        public override string ExpectedJson => $"{inner.ExpectedJson} or null";

        public override string Placeholder => $"{inner.Placeholder}|{noneWord}";

        public override bool TryParse(string text, out T? value)
        {
            value = null;
            if (string.Equals(text.Trim(), noneWord, StringComparison.OrdinalIgnoreCase))
                return true;
            bool ok = inner.TryParse(text, out T v);
            value = v;
            return ok;
        }

        public override string Text(T? value) => value is { } v ? inner.Text(v) : noneWord;

        public override bool TryRead(JsonElement json, out T? value)
        {
            value = null;
            if (json.ValueKind == JsonValueKind.Null)
                return true;
            bool ok = inner.TryRead(json, out T v);
            value = v;
            return ok;
        }

        public override void Write(Utf8JsonWriter writer, T? value)
        {
            if (value is { } v)
                inner.Write(writer, v);
            else
                writer.WriteNullValue();
        }

        public override IEnumerable<(string, double)> Numbers(T? value) => value is { } v ? inner.Numbers(v) : [];
    }
}
