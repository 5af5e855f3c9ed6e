using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace RecordKv.Nats.Internal;

/// <summary>Formats client commands (PUB, HPUB, SUB, UNSUB, PING, PONG, CONNECT) into a buffer writer.</summary>
internal static class NatsCommandWriter
{
    /// <summary>Messages up to this size are written with one GetSpan call.</summary>
    private const int InlineLimit = 16 * 1024;

    private const int MaxNumberLength = 20;

    public static ReadOnlySpan<byte> Ping => "PING\r\n"u8;

    public static ReadOnlySpan<byte> Pong => "PONG\r\n"u8;

    /// <summary>Writes PUB or HPUB; returns the bytes written.</summary>
    public static int WritePublish(IBufferWriter<byte> writer, string subject, string? replyTo, NatsHeaders? headers, int headerLength, ReadOnlySpan<byte> payload)
    {
        var subjectLength = Encoding.UTF8.GetByteCount(subject);
        var replyLength = replyTo is null ? 0 : Encoding.UTF8.GetByteCount(replyTo) + 1;
        var lineMax = 5 + subjectLength + 1 + replyLength + (2 * (MaxNumberLength + 1)) + 2;
        var total = headerLength + payload.Length;
        if (lineMax + total + 2 <= InlineLimit)
        {
            var span = writer.GetSpan(lineMax + total + 2);
            var position = WriteControlLine(span, subject, replyTo, headers is not null, headerLength, total);
            headers?.WriteTo(span.Slice(position, headerLength));
            position += headerLength;
            payload.CopyTo(span[position..]);
            position += payload.Length;
            span[position++] = (byte)'\r';
            span[position++] = (byte)'\n';
            writer.Advance(position);
            return position;
        }

        var lineSpan = writer.GetSpan(lineMax);
        var lineLength = WriteControlLine(lineSpan, subject, replyTo, headers is not null, headerLength, total);
        writer.Advance(lineLength);
        if (headers is not null)
        {
            headers.WriteTo(writer.GetSpan(headerLength)[..headerLength]);
            writer.Advance(headerLength);
        }

        writer.Write(payload);
        writer.Write("\r\n"u8);
        return lineLength + total + 2;
    }

    private static int WriteControlLine(Span<byte> span, string subject, string? replyTo, bool hasHeaders, int headerLength, int total)
    {
        int position;
        if (hasHeaders)
        {
            "HPUB "u8.CopyTo(span);
            position = 5;
        }
        else
        {
            "PUB "u8.CopyTo(span);
            position = 4;
        }

        position += Encoding.UTF8.GetBytes(subject, span[position..]);
        span[position++] = (byte)' ';
        if (replyTo is not null)
        {
            position += Encoding.UTF8.GetBytes(replyTo, span[position..]);
            span[position++] = (byte)' ';
        }

        if (hasHeaders)
        {
            Utf8Formatter.TryFormat(headerLength, span[position..], out var written);
            position += written;
            span[position++] = (byte)' ';
        }

        Utf8Formatter.TryFormat(total, span[position..], out var totalWritten);
        position += totalWritten;
        span[position++] = (byte)'\r';
        span[position++] = (byte)'\n';
        return position;
    }

    /// <summary>Writes <c>SUB subject [queue] sid</c>.</summary>
    public static int WriteSubscribe(IBufferWriter<byte> writer, string subject, string? queueGroup, long sid)
    {
        var max = 4 + Encoding.UTF8.GetMaxByteCount(subject.Length) + 1 + (queueGroup is null ? 0 : Encoding.UTF8.GetMaxByteCount(queueGroup.Length) + 1) + MaxNumberLength + 2;
        var span = writer.GetSpan(max);
        "SUB "u8.CopyTo(span);
        var position = 4;
        position += Encoding.UTF8.GetBytes(subject, span[position..]);
        span[position++] = (byte)' ';
        if (queueGroup is not null)
        {
            position += Encoding.UTF8.GetBytes(queueGroup, span[position..]);
            span[position++] = (byte)' ';
        }

        Utf8Formatter.TryFormat(sid, span[position..], out var written);
        position += written;
        span[position++] = (byte)'\r';
        span[position++] = (byte)'\n';
        writer.Advance(position);
        return position;
    }

    /// <summary>Writes <c>UNSUB sid [max]</c>.</summary>
    public static int WriteUnsubscribe(IBufferWriter<byte> writer, long sid, long? maxMessages)
    {
        var span = writer.GetSpan(6 + (2 * (MaxNumberLength + 1)) + 2);
        "UNSUB "u8.CopyTo(span);
        var position = 6;
        Utf8Formatter.TryFormat(sid, span[position..], out var written);
        position += written;
        if (maxMessages is { } max)
        {
            span[position++] = (byte)' ';
            Utf8Formatter.TryFormat(max, span[position..], out written);
            position += written;
        }

        span[position++] = (byte)'\r';
        span[position++] = (byte)'\n';
        writer.Advance(position);
        return position;
    }

    /// <summary>Writes <c>CONNECT {json}</c> with the options this client needs (no echo of +OK, headers and no-responders on).</summary>
    public static void WriteConnect(IBufferWriter<byte> writer, NatsOptions options, NatsServerUrl url, bool tls)
    {
        writer.Write("CONNECT "u8);
        using (var json = new Utf8JsonWriter(writer))
        {
            json.WriteStartObject();
            json.WriteBoolean("verbose", false);
            json.WriteBoolean("pedantic", false);
            json.WriteBoolean("tls_required", tls);
            json.WriteString("name", options.Name);
            json.WriteString("lang", "dotnet-recordkv");
            json.WriteString("version", "1.0.0");
            json.WriteNumber("protocol", 1);
            json.WriteBoolean("headers", true);
            json.WriteBoolean("no_responders", true);
            json.WriteBoolean("echo", true);
            var user = url.User ?? options.User;
            var password = url.User is not null ? url.Password : options.Password;
            if (user is not null)
            {
                json.WriteString("user", user);
                json.WriteString("pass", password ?? "");
            }

            if (options.Token is not null)
            {
                json.WriteString("auth_token", options.Token);
            }

            json.WriteEndObject();
        }

        writer.Write("\r\n"u8);
    }
}
