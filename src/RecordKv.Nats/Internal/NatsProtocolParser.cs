using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace RecordKv.Nats.Internal;

/// <summary>
/// Parses server operations out of buffered socket input. Every length is checked against a cap before
/// anything waits for or allocates that many bytes: a control line longer than
/// <see cref="MaxControlLineLength"/> or a message longer than max_payload plus
/// <see cref="MaxHeaderAllowance"/> is a <see cref="NatsProtocolException"/>.
/// </summary>
internal sealed class NatsProtocolParser
{
    /// <summary>The longest control line accepted. INFO of a big cluster (many connect_urls) is the longest line a server sends.</summary>
    public const int MaxControlLineLength = 64 * 1024;

    /// <summary>What a message may carry beyond max_payload: the server counts headers into max_payload, we leave room for servers that do not.</summary>
    public const int MaxHeaderAllowance = 64 * 1024;

    private const int StackLineLength = 512;

    private readonly byte[] _lastSubjectBytes = new byte[256];
    private int _lastSubjectLength;
    private string? _lastSubject;

    /// <summary>Creates a parser for a server with the given max_payload.</summary>
    public NatsProtocolParser(long maxPayload) => MaxPayload = maxPayload;

    /// <summary>The server's max_payload; updated when a new INFO arrives.</summary>
    public long MaxPayload { get; set; }

    /// <summary>Parses one operation from the start of <paramref name="buffer"/> and slices it off; false when more input is needed.</summary>
    public bool TryParse(ref ReadOnlySequence<byte> buffer, out NatsServerOp op)
    {
        int lineLength;
        if (buffer.IsSingleSegment)
        {
            var span = buffer.FirstSpan;
            lineLength = span.IndexOf((byte)'\n');
            if (lineLength < 0)
            {
                CheckIncompleteLine(span.Length);
                op = default;
                return false;
            }

            CheckLineLength(lineLength);
            return TryParseLine(ref buffer, span[..lineLength], lineLength, out op);
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> lineSequence, (byte)'\n'))
        {
            CheckIncompleteLine(buffer.Length);
            op = default;
            return false;
        }

        CheckLineLength(lineSequence.Length);
        lineLength = (int)lineSequence.Length;
        byte[]? rented = null;
        var line = lineLength <= StackLineLength ? stackalloc byte[StackLineLength] : (rented = ArrayPool<byte>.Shared.Rent(lineLength));
        try
        {
            line = line[..lineLength];
            lineSequence.CopyTo(line);
            return TryParseLine(ref buffer, line, lineLength, out op);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private bool TryParseLine(ref ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> line, int lineLength, out NatsServerOp op)
    {
        // The line ends with CRLF; a bare LF is tolerated.
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        var afterLine = lineLength + 1;
        if (line.Length >= 3)
        {
            switch (line[0] | 0x20)
            {
                case 'm' when StartsWithOp(line, "MSG"u8):
                    return TryParseMessage(ref buffer, line[3..], afterLine, hasHeaders: false, out op);
                case 'h' when StartsWithOp(line, "HMSG"u8):
                    return TryParseMessage(ref buffer, line[4..], afterLine, hasHeaders: true, out op);
                case 'p' when IsExactly(line, "PING"u8):
                    op = new NatsServerOp { Kind = NatsServerOpKind.Ping };
                    buffer = buffer.Slice(afterLine);
                    return true;
                case 'p' when IsExactly(line, "PONG"u8):
                    op = new NatsServerOp { Kind = NatsServerOpKind.Pong };
                    buffer = buffer.Slice(afterLine);
                    return true;
                case '+' when IsExactly(line, "+OK"u8):
                    op = new NatsServerOp { Kind = NatsServerOpKind.Ok };
                    buffer = buffer.Slice(afterLine);
                    return true;
                case '-' when StartsWithOp(line, "-ERR"u8):
                    op = new NatsServerOp { Kind = NatsServerOpKind.Err, Text = ParseErrorText(line[4..]) };
                    buffer = buffer.Slice(afterLine);
                    return true;
                case 'i' when StartsWithOp(line, "INFO"u8):
                    op = new NatsServerOp { Kind = NatsServerOpKind.Info, Text = ParseInfoJson(line[4..]) };
                    buffer = buffer.Slice(afterLine);
                    return true;
            }
        }

        throw Unknown(line);
    }

    private bool TryParseMessage(ref ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> arguments, int afterLine, bool hasHeaders, out NatsServerOp op)
    {
        // MSG <subject> <sid> [reply-to] <#bytes> / HMSG <subject> <sid> [reply-to] <#header bytes> <#total bytes>
        Span<Range> fields = stackalloc Range[6];
        var count = Split(arguments, fields);
        var lengthFields = hasHeaders ? 2 : 1;
        if (count != 2 + lengthFields && count != 3 + lengthFields)
        {
            throw new NatsProtocolException($"{(hasHeaders ? "HMSG" : "MSG")} has {count} arguments: '{Preview(arguments)}'.");
        }

        var total = ParseLength(arguments[fields[count - 1]], "message length");
        var limit = MaxPayload + MaxHeaderAllowance;
        if (total > limit)
        {
            throw new NatsProtocolException($"The server announced a message of {total} bytes; the limit is {limit} (max_payload {MaxPayload}).");
        }

        var headerLength = 0L;
        if (hasHeaders)
        {
            headerLength = ParseLength(arguments[fields[count - 2]], "header length");
            if (headerLength > total)
            {
                throw new NatsProtocolException($"HMSG header length {headerLength} exceeds its total length {total}.");
            }
        }

        if (buffer.Length < afterLine + total + 2)
        {
            op = default;
            return false;
        }

        Span<byte> terminator = stackalloc byte[2];
        buffer.Slice(afterLine + total, 2).CopyTo(terminator);
        if (terminator[0] != (byte)'\r' || terminator[1] != (byte)'\n')
        {
            throw new NatsProtocolException($"A message of {total} bytes is not followed by CRLF: its length does not match its data.");
        }

        var sid = ParseLength(arguments[fields[1]], "subscription id");
        op = new NatsServerOp
        {
            Kind = hasHeaders ? NatsServerOpKind.HMsg : NatsServerOpKind.Msg,
            Subject = SubjectString(arguments[fields[0]]),
            Sid = sid,
            ReplyTo = count == 3 + lengthFields ? Encoding.UTF8.GetString(arguments[fields[2]]) : null,
            HeaderLength = (int)headerLength,
            Payload = buffer.Slice(afterLine, total),
        };
        buffer = buffer.Slice(afterLine + total + 2);
        return true;
    }

    /// <summary>Reuses the previous subject's string when the same subject repeats, the common case of a busy subscription.</summary>
    private string SubjectString(ReadOnlySpan<byte> subject)
    {
        if (_lastSubject is not null && subject.SequenceEqual(_lastSubjectBytes.AsSpan(0, _lastSubjectLength)))
        {
            return _lastSubject;
        }

        var text = Encoding.UTF8.GetString(subject);
        if (subject.Length <= _lastSubjectBytes.Length)
        {
            subject.CopyTo(_lastSubjectBytes);
            _lastSubjectLength = subject.Length;
            _lastSubject = text;
        }

        return text;
    }

    private static int Split(ReadOnlySpan<byte> arguments, Span<Range> fields)
    {
        var count = 0;
        var i = 0;
        while (true)
        {
            while (i < arguments.Length && (arguments[i] == (byte)' ' || arguments[i] == (byte)'\t'))
            {
                i++;
            }

            if (i == arguments.Length)
            {
                return count;
            }

            var start = i;
            while (i < arguments.Length && arguments[i] != (byte)' ' && arguments[i] != (byte)'\t')
            {
                i++;
            }

            if (count == fields.Length)
            {
                throw new NatsProtocolException($"A message line has too many arguments: '{Preview(arguments)}'.");
            }

            fields[count++] = new Range(start, i);
        }
    }

    private static long ParseLength(ReadOnlySpan<byte> text, string what)
    {
        if (text.Length > 19 || !Utf8Parser.TryParse(text, out long value, out var consumed) || consumed != text.Length || value < 0)
        {
            throw new NatsProtocolException($"The {what} '{Preview(text)}' is not a non-negative integer.");
        }

        return value;
    }

    private static string ParseErrorText(ReadOnlySpan<byte> rest)
    {
        rest = rest.Trim((byte)' ');
        if (rest.Length >= 2 && rest[0] == (byte)'\'' && rest[^1] == (byte)'\'')
        {
            rest = rest[1..^1];
        }

        return Encoding.UTF8.GetString(rest);
    }

    private static string ParseInfoJson(ReadOnlySpan<byte> rest)
    {
        rest = rest.Trim((byte)' ');
        if (rest.IsEmpty || rest[0] != (byte)'{')
        {
            throw new NatsProtocolException($"INFO does not carry a JSON object: '{Preview(rest)}'.");
        }

        return Encoding.UTF8.GetString(rest);
    }

    private static bool StartsWithOp(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name) =>
        line.Length > name.Length
        && System.Text.Ascii.EqualsIgnoreCase(line[..name.Length], name)
        && (line[name.Length] == (byte)' ' || line[name.Length] == (byte)'\t');

    private static bool IsExactly(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name) =>
        System.Text.Ascii.EqualsIgnoreCase(line.TrimEnd((byte)' '), name);

    private static void CheckIncompleteLine(long buffered)
    {
        if (buffered > MaxControlLineLength)
        {
            ThrowLineTooLong(buffered);
        }
    }

    private static void CheckLineLength(long length)
    {
        if (length > MaxControlLineLength)
        {
            ThrowLineTooLong(length);
        }
    }

    [DoesNotReturn]
    private static void ThrowLineTooLong(long length) =>
        throw new NatsProtocolException($"The server sent {length} bytes without a line end; a control line is at most {MaxControlLineLength} bytes.");

    private static NatsProtocolException Unknown(ReadOnlySpan<byte> line) =>
        new($"The server sent an unknown operation: '{Preview(line)}'.");

    /// <summary>A short printable excerpt of bad input for error messages.</summary>
    internal static string Preview(ReadOnlySpan<byte> bytes)
    {
        var shown = bytes.Length > 40 ? bytes[..40] : bytes;
        var builder = new StringBuilder(shown.Length + 3);
        foreach (var b in shown)
        {
            builder.Append(b is >= 32 and < 127 ? (char)b : '?');
        }

        if (shown.Length < bytes.Length)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }
}
