using System.Globalization;
using System.Text;
using TinyTorch.IO;

namespace Training.Reporting;

/// <summary>
/// The metrics of a run, in the order they happened, and their file metrics.csv: one row per training episode
/// (<c>kind=episode</c>) and per evaluation (<c>kind=eval</c>, or <c>final_eval</c> after training). Columns:
/// <c>kind,step,episode,return,length,epsilon,loss,mean,std,min,max,episodes,time_s</c>; cells that do not apply to a
/// kind are empty, a loss of NaN (no update) is empty too. Numbers use the invariant culture and round-trip exactly.
/// </summary>
public sealed class MetricsLog
{
    /// <summary>The first line of metrics.csv.</summary>
    public const string Header = "kind,step,episode,return,length,epsilon,loss,mean,std,min,max,episodes,time_s";

    private readonly List<EpisodeRecord> _episodes = [];
    private readonly List<EvaluationRecord> _evaluations = [];
    private readonly List<(bool IsEpisode, int Index)> _order = [];

    /// <summary>Training episodes, in order.</summary>
    public IReadOnlyList<EpisodeRecord> Episodes => _episodes;

    /// <summary>Evaluations (periodic, then the final one), in order.</summary>
    public IReadOnlyList<EvaluationRecord> Evaluations => _evaluations;

    /// <summary>Appends a training episode.</summary>
    public void AddEpisode(EpisodeRecord record)
    {
        _order.Add((true, _episodes.Count));
        _episodes.Add(record);
    }

    /// <summary>Appends an evaluation.</summary>
    public void AddEvaluation(EvaluationRecord record)
    {
        _order.Add((false, _evaluations.Count));
        _evaluations.Add(record);
    }

    /// <summary>The CSV text, rows in the order they were added.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder(Header.Length + 64 * _order.Count);
        sb.Append(Header).Append('\n');
        foreach (var (isEpisode, index) in _order)
        {
            if (isEpisode)
            {
                var e = _episodes[index];
                sb.Append("episode,").Append(e.Step).Append(',').Append(e.Episode).Append(',')
                    .Append(Num(e.Return)).Append(',').Append(e.Length).Append(',').Append(Num(e.Epsilon)).Append(',')
                    .Append(Num(e.Loss)).Append(",,,,,,").Append(Num(e.TimeSeconds)).Append('\n');
            }
            else
            {
                var v = _evaluations[index];
                sb.Append(v.Final ? "final_eval," : "eval,").Append(v.Step).Append(',').Append(v.Episode).Append(",,,,,")
                    .Append(Num(v.Mean)).Append(',').Append(Num(v.Std)).Append(',').Append(Num(v.Min)).Append(',')
                    .Append(Num(v.Max)).Append(',').Append(v.Episodes).Append(',').Append(Num(v.TimeSeconds)).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>Writes metrics.csv atomically (temporary file in the same folder, then a move over the target).</summary>
    public void WriteCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());

    /// <summary>Reads a metrics.csv written by <see cref="WriteCsv"/> (to resume a run or redraw its report).</summary>
    public static MetricsLog ReadCsv(string path) => ParseCsv(File.ReadAllText(path), path);

    /// <summary>Parses CSV text; <paramref name="source"/> names it in error messages, with the line number.</summary>
    public static MetricsLog ParseCsv(string text, string source = "metrics.csv")
    {
        ArgumentNullException.ThrowIfNull(text);
        var log = new MetricsLog();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length == 0 || lines[0] != Header)
            throw new InvalidDataException($"{source}: line 1 must be the header '{Header}'.");
        for (int n = 1; n < lines.Length; n++)
        {
            string line = lines[n];
            if (line.Length == 0)
                continue;
            var c = line.Split(',');
            if (c.Length != 13)
                throw new InvalidDataException($"{source}: line {n + 1} has {c.Length} cells, expected 13.");
            var row = new RowReader(c, source, n + 1);
            switch (c[0])
            {
                case "episode":
                    log.AddEpisode(new EpisodeRecord(row.Long(1), row.Int(2), row.Double(3), row.Int(4), row.Double(5),
                        row.DoubleOrNaN(6), row.Double(12)));
                    break;
                case "eval":
                case "final_eval":
                    log.AddEvaluation(new EvaluationRecord(row.Long(1), row.Int(2), row.Double(7), row.Double(8), row.Double(9),
                        row.Double(10), row.Int(11), c[0] == "final_eval", row.Double(12)));
                    break;
                default:
                    throw new InvalidDataException($"{source}: line {n + 1} has kind '{c[0]}', expected episode, eval or final_eval.");
            }
        }
        return log;
    }

    private static string Num(double value) =>
        double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    private readonly struct RowReader(string[] cells, string source, int line)
    {
        private static readonly string[] Columns = Header.Split(',');

        public long Long(int i) => long.TryParse(cells[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : throw Bad(i, "an integer");

        public int Int(int i) => int.TryParse(cells[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw Bad(i, "an integer");

        public double Double(int i) => double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw Bad(i, "a number");

        public double DoubleOrNaN(int i) => cells[i].Length == 0 ? double.NaN : Double(i);

        private InvalidDataException Bad(int i, string expected) =>
            new($"{source}: line {line}, column {Columns[i]}: '{cells[i]}' is not {expected}.");
    }
}
