using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CartPole;

namespace ScratchRl.Commands;

/// <summary>
/// Writes <c>scratchrl cartpole --json</c>'s output, one JSON object per step and per line:
/// <c>{"case":...,"step":1,"obs":[...],"reward":1.0,"terminated":false,"truncated":false}</c>.
/// Observations are float32 written in their shortest round-trip form (parsing the text as a float32 gives the same
/// bits back); non-finite values, which JSON cannot express, are written as Python's json module writes them
/// (NaN, Infinity, -Infinity). Lines are collected in a buffer and handed to the text writer in 64 KiB blocks.
/// </summary>
public sealed class CartPoleJsonLines : IDisposable
{
    private const int FlushThreshold = 1 << 16;

    private readonly TextWriter _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter _json;
    private char[] _chars = new char[FlushThreshold * 2];

    public CartPoleJsonLines(TextWriter output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Writes one step's line; <paramref name="caseName"/> and <paramref name="action"/> are included when given.</summary>
    public void WriteStep(string? caseName, int step, ReadOnlySpan<float> observation, StepResult result, int? action = null)
    {
        _json.WriteStartObject();
        if (caseName != null)
            _json.WriteString("case", caseName);
        _json.WriteNumber("step", step);
        if (action is { } a)
            _json.WriteNumber("action", a);
        _json.WriteStartArray("obs");
        foreach (float v in observation)
        {
            if (float.IsFinite(v))
                _json.WriteNumberValue(v);
            else
                _json.WriteRawValue(float.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity", skipInputValidation: true);
        }
        _json.WriteEndArray();
        _json.WritePropertyName("reward");
        _json.WriteRawValue(RewardText(result.Reward), skipInputValidation: true);
        _json.WriteBoolean("terminated", result.Terminated);
        _json.WriteBoolean("truncated", result.Truncated);
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (_buffer.WrittenCount >= FlushThreshold)
            Flush();
    }

    /// <summary>Hands everything buffered to the text writer.</summary>
    public void Flush()
    {
        var bytes = _buffer.WrittenSpan;
        int needed = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_chars.Length < needed)
            _chars = new char[needed];
        int count = Encoding.UTF8.GetChars(bytes, _chars);
        _output.Write(_chars, 0, count);
        _buffer.ResetWrittenCount();
    }

    public void Dispose()
    {
        Flush();
        _output.Flush();
        _json.Dispose();
    }

    /// <summary>Rewards are written with a decimal point, as Python prints a float: 1.0, 0.0, -1.0.</summary>
    private static string RewardText(float reward) => reward switch
    {
        1f => "1.0",
        0f => "0.0",
        -1f => "-1.0",
        _ => reward.ToString("0.0###########", CultureInfo.InvariantCulture),
    };
}
