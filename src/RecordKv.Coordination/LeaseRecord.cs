using System.Buffers;
using System.Text.Json;

namespace RecordKv.Coordination;

/// <summary>The value of a lease or membership key: who holds it and until when (UTC, milliseconds since the epoch).</summary>
/// <remarks>JSON so other programs (and people with <c>nats kv get</c>) can read it: <c>{"holder":"…","expires":1700000000000}</c>.</remarks>
public readonly record struct LeaseRecord(string Holder, long ExpiresUnixMs)
{
    /// <summary>Whether the lease has run out at <paramref name="nowUnixMs"/>.</summary>
    public bool IsExpired(long nowUnixMs) => nowUnixMs >= ExpiresUnixMs;

    /// <summary>Encodes the record as UTF-8 JSON.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(64 + Holder.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("holder", Holder);
            writer.WriteNumber("expires", ExpiresUnixMs);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a record; a value that is not one (foreign or corrupt) decodes as expired with no holder, so it can be taken over.</summary>
    public static LeaseRecord Decode(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            string? holder = null;
            long expires = 0;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new LeaseRecord(string.Empty, 0);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isHolder = reader.ValueTextEquals("holder"u8);
                var isExpires = reader.ValueTextEquals("expires"u8);
                reader.Read();
                if (isHolder && reader.TokenType == JsonTokenType.String)
                {
                    holder = reader.GetString();
                }
                else if (isExpires && reader.TokenType == JsonTokenType.Number)
                {
                    expires = reader.GetInt64();
                }
                else
                {
                    reader.Skip();
                }
            }

            return new LeaseRecord(holder ?? string.Empty, expires);
        }
        catch (JsonException)
        {
            return new LeaseRecord(string.Empty, 0);
        }
    }
}
