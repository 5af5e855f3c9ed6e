using System.Text;
using System.Text.Json;

namespace RecordKv.Cli.Commands;

/// <summary>How the store verbs print one record change: pretty text or one JSON document per line.</summary>
internal static class RecordJsonOutput
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false };

    /// <summary>Formats one change.</summary>
    public static string Format(bool json, string uri, string operation, string? cid, string? rev, ReadOnlyMemory<byte> value)
    {
        if (!json)
        {
            var head = $"{operation} {uri}" + (cid is null ? string.Empty : $" cid={cid}") + (rev is null ? string.Empty : $" rev={rev}");
            return value.IsEmpty ? head : head + Environment.NewLine + "  " + Encoding.UTF8.GetString(value.Span);
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("uri", uri);
            writer.WriteString("op", operation.ToLowerInvariant());
            if (cid is not null)
            {
                writer.WriteString("cid", cid);
            }

            if (rev is not null)
            {
                writer.WriteString("rev", rev);
            }

            if (!value.IsEmpty)
            {
                writer.WritePropertyName("record");
                using var document = JsonDocument.Parse(value);
                document.RootElement.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
