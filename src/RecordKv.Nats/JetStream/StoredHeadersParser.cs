using System.Text;

namespace RecordKv.Nats.JetStream;

/// <summary>Parses the <c>NATS/1.0\r\nName: value\r\n...\r\n\r\n</c> header block that <c>STREAM.MSG.GET</c> returns base64-encoded.</summary>
internal static class StoredHeadersParser
{
    private const int MaxHeaderBytes = 1024 * 1024;

    public static NatsHeaders? Parse(ReadOnlySpan<byte> block)
    {
        if (block.IsEmpty)
        {
            return null;
        }

        if (block.Length > MaxHeaderBytes)
        {
            throw new NatsJetStreamException($"Stored message headers of {block.Length} bytes exceed {MaxHeaderBytes}.");
        }

        var lineEnd = block.IndexOf("\r\n"u8);
        if (lineEnd < 0 || !block.StartsWith("NATS/1.0"u8))
        {
            throw new NatsJetStreamException("Stored message headers do not start with NATS/1.0.");
        }

        var headers = new NatsHeaders();
        var rest = block[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? default : rest[(lineEnd + 2)..];
            if (line.IsEmpty)
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new NatsJetStreamException("Stored message header line without a name.");
            }

            var name = Encoding.UTF8.GetString(line[..colon]);
            var value = Encoding.UTF8.GetString(line[(colon + 1)..]).Trim();
            headers.Add(name, value);
        }

        return headers;
    }
}
