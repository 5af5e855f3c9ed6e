using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RecordKv.Cli.Output;

/// <summary>Writes JSON documents to a <see cref="TextWriter"/>, one per line (JSON Lines), reusing one buffer.</summary>
internal sealed class JsonLines
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Records hold arbitrary Unicode; print it as is rather than \uXXXX for every non-ASCII character.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly TextWriter _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;

    public JsonLines(TextWriter output)
    {
        _output = output;
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    /// <summary>Lets <paramref name="write"/> write one JSON value, then prints it as one line.</summary>
    public void WriteLine(Action<Utf8JsonWriter> write)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        write(_writer);
        _writer.Flush();
        _output.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
    }
}
