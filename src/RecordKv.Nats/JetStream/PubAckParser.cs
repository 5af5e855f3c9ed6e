using System.Text;
using System.Text.Json;

namespace RecordKv.Nats.JetStream;

/// <summary>Parses PubAck JSON by hand: the asynchronous publisher reads one per message, so the stream name is reused rather than reallocated.</summary>
internal static class PubAckParser
{
    /// <summary>Parses <c>{"stream":..,"seq":..,"duplicate":..}</c> or <c>{"error":{..}}</c>; returns false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, ref string? lastStream, out PubAck ack, out ApiError? error)
    {
        ack = default;
        error = null;
        string? stream = null;
        string? domain = null;
        ulong sequence = 0;
        var duplicate = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stream = ReadStream(ref reader, ref lastStream);
                }
                else if (reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    sequence = reader.GetUInt64();
                }
                else if (reader.ValueTextEquals("duplicate"u8))
                {
                    reader.Read();
                    duplicate = reader.GetBoolean();
                }
                else if (reader.ValueTextEquals("domain"u8))
                {
                    reader.Read();
                    domain = reader.GetString();
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    error = ReadError(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }

        if (error is not null)
        {
            return true;
        }

        if (stream is null)
        {
            return false;
        }

        ack = new PubAck(stream, sequence, duplicate, domain);
        return true;
    }

    private static string ReadStream(ref Utf8JsonReader reader, ref string? lastStream)
    {
        if (lastStream is not null && !reader.ValueIsEscaped && reader.ValueTextEquals(lastStream))
        {
            return lastStream;
        }

        lastStream = reader.GetString() ?? string.Empty;
        return lastStream;
    }

    private static ApiError ReadError(ref Utf8JsonReader reader)
    {
        int code = 0, errorCode = 0;
        string? description = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new ApiError { Description = "malformed error" };
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("err_code"u8))
            {
                reader.Read();
                errorCode = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("description"u8))
            {
                reader.Read();
                description = reader.GetString();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new ApiError { Code = code, ErrCode = errorCode, Description = description };
    }

    /// <summary>For diagnostics: the reply as text, capped.</summary>
    public static string Describe(ReadOnlySpan<byte> json) => Encoding.UTF8.GetString(json[..Math.Min(json.Length, 200)]);
}
