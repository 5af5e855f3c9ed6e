using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Cbor;

/// <summary>
/// Converts between the atproto data model's JSON form and DAG-CBOR: <c>{"$link": cid}</c> is a CID link,
/// <c>{"$bytes": base64}</c> a byte string (standard alphabet, written without padding, read with or without),
/// and blobs are <c>{"$type": "blob", "ref": {"$link": …}, "mimeType": …, "size": …}</c>.
/// </summary>
public static class DagCborJson
{
    private const int JsonMaxDepth = DagCborReaderOptions.MaxSupportedDepth;
    private const int StackBase64Limit = 512;

    private static readonly JsonWriterOptions RelaxedWriterOptions = new()
    {
        // Record text is shown to people (nats sub, logs): keep non-ASCII readable; the output is still valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Encodes an atproto JSON object (UTF-8) as canonical DAG-CBOR; throws <see cref="DataModelJsonException"/> if it is not a data-model value.</summary>
    public static byte[] FromJson(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = JsonMaxDepth });
        using var document = JsonDocument.ParseValue(ref reader);
        return FromJson(document.RootElement);
    }

    /// <summary>Encodes an atproto JSON object as canonical DAG-CBOR; throws <see cref="DataModelJsonException"/> if it is not a data-model value.</summary>
    public static byte[] FromJson(JsonElement json)
    {
        var output = new ArrayBufferWriter<byte>(256);
        FromJson(json, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Encodes an atproto JSON object as canonical DAG-CBOR into <paramref name="output"/>.</summary>
    public static void FromJson(JsonElement json, IBufferWriter<byte> output)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new DataModelJsonException($"The top-level value must be an object, not {Describe(json.ValueKind)}", "$");
        }

        var writer = new DagCborWriter(output);
        var path = new List<string>(8) { "$" };
        WriteValue(json, writer, path);
    }

    /// <summary>Writes one DAG-CBOR value (exactly the whole input) as atproto JSON.</summary>
    public static void WriteJson(ReadOnlySpan<byte> cbor, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var reader = new DagCborReader(cbor);
        WriteJsonValue(ref reader, writer);
        if (!reader.IsAtEnd)
        {
            CborThrow.TrailingBytes(reader.BytesConsumed, cbor.Length - reader.BytesConsumed);
        }
    }

    /// <summary>The atproto JSON form of one DAG-CBOR value.</summary>
    public static string ToJsonString(ReadOnlySpan<byte> cbor)
    {
        var output = new ArrayBufferWriter<byte>(cbor.Length * 2 + 16);
        using (var writer = new Utf8JsonWriter(output, RelaxedWriterOptions))
        {
            WriteJson(cbor, writer);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static void WriteJsonValue(ref DagCborReader reader, Utf8JsonWriter writer)
    {
        switch (reader.PeekType())
        {
            case CborValueType.UnsignedInteger:
            case CborValueType.NegativeInteger:
                writer.WriteNumberValue(reader.ReadInt64());
                break;
            case CborValueType.TextString:
                writer.WriteStringValue(reader.ReadTextUtf8());
                break;
            case CborValueType.ByteString:
                writer.WriteStartObject();
                writer.WritePropertyName("$bytes"u8);
                WriteBase64(reader.ReadBytes(), writer);
                writer.WriteEndObject();
                break;
            case CborValueType.Link:
                Span<char> cidText = stackalloc char[Cid.TextLength];
                reader.ReadCid().TryFormat(cidText, out _);
                writer.WriteStartObject();
                writer.WriteString("$link"u8, cidText);
                writer.WriteEndObject();
                break;
            case CborValueType.Boolean:
                writer.WriteBooleanValue(reader.ReadBoolean());
                break;
            case CborValueType.Null:
                reader.ReadNull();
                writer.WriteNullValue();
                break;
            case CborValueType.Array:
                var items = reader.ReadArrayHeader();
                writer.WriteStartArray();
                for (var i = 0; i < items; i++)
                {
                    WriteJsonValue(ref reader, writer);
                }

                writer.WriteEndArray();
                break;
            case CborValueType.Map:
                var entries = reader.ReadMapHeader();
                writer.WriteStartObject();
                for (var i = 0; i < entries; i++)
                {
                    writer.WritePropertyName(reader.ReadTextUtf8());
                    WriteJsonValue(ref reader, writer);
                }

                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteBase64(ReadOnlySpan<byte> bytes, Utf8JsonWriter writer)
    {
        var length = Base64.GetMaxEncodedToUtf8Length(bytes.Length);
        byte[]? rented = null;
        var buffer = length <= StackBase64Limit ? stackalloc byte[StackBase64Limit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        Base64.EncodeToUtf8(bytes, buffer, out _, out var written);
        while (written > 0 && buffer[written - 1] == (byte)'=')
        {
            written--;
        }

        writer.WriteStringValue(buffer[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void WriteValue(JsonElement json, DagCborWriter writer, List<string> path)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(json, writer, path);
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(json.GetArrayLength());
                var index = 0;
                foreach (var item in json.EnumerateArray())
                {
                    path.Add($"[{index++}]");
                    WriteValue(item, writer, path);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonValueKind.String:
                writer.WriteText(json.GetString()!);
                break;
            case JsonValueKind.Number:
                writer.WriteInt64(ReadInteger(json, path));
                break;
            case JsonValueKind.True:
                writer.WriteBoolean(true);
                break;
            case JsonValueKind.False:
                writer.WriteBoolean(false);
                break;
            case JsonValueKind.Null:
                writer.WriteNull();
                break;
            default:
                throw Error($"Unexpected JSON value {json.ValueKind}", path);
        }
    }

    private static long ReadInteger(JsonElement json, List<string> path)
    {
        if (json.TryGetInt64(out var value))
        {
            return value;
        }

        // The data model has no floats, but "123.0" is an integer written the JSON way and is accepted (interop fixture "float, but integer-like").
        if (json.TryGetDecimal(out var number) && decimal.Truncate(number) == number && number >= long.MinValue && number <= long.MaxValue)
        {
            return (long)number;
        }

        throw Error($"The atproto data model has no floating-point numbers: {json.GetRawText()} is not an integer in the signed 64-bit range", path);
    }

    private static void WriteObject(JsonElement json, DagCborWriter writer, List<string> path)
    {
        var count = 0;
        var hasLink = false;
        var hasBytes = false;
        JsonElement typeValue = default;
        var hasType = false;
        foreach (var property in json.EnumerateObject())
        {
            count++;
            switch (property.Name)
            {
                case "$link":
                    hasLink = true;
                    break;
                case "$bytes":
                    hasBytes = true;
                    break;
                case "$type":
                    hasType = true;
                    typeValue = property.Value;
                    break;
            }
        }

        if (hasLink)
        {
            writer.WriteCid(ReadLink(json, count, path));
            return;
        }

        if (hasBytes)
        {
            WriteBytesObject(json, count, writer, path);
            return;
        }

        if (hasType)
        {
            path.Add(".$type");
            if (typeValue.ValueKind != JsonValueKind.String)
            {
                throw Error($"$type must be a string, not {Describe(typeValue.ValueKind)}", path);
            }

            var type = typeValue.GetString()!;
            if (type.Length == 0)
            {
                throw Error("$type must not be empty", path);
            }

            path.RemoveAt(path.Count - 1);
            if (type == "blob")
            {
                CheckBlob(json, path);
            }
        }

        var properties = new List<JsonProperty>(count);
        foreach (var property in json.EnumerateObject())
        {
            properties.Add(property);
        }

        properties.Sort(static (a, b) => DagCborKeyOrder.Compare(a.Name, b.Name));
        writer.WriteMapHeader(properties.Count);
        for (var i = 0; i < properties.Count; i++)
        {
            var name = properties[i].Name;
            if (i > 0 && properties[i - 1].Name == name)
            {
                throw Error($"Duplicate key \"{name}\"", path);
            }

            writer.WriteText(name);
            path.Add("." + name);
            WriteValue(properties[i].Value, writer, path);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static Cid ReadLink(JsonElement json, int propertyCount, List<string> path)
    {
        if (propertyCount != 1)
        {
            throw Error("A $link object must have no other keys", path);
        }

        var link = json.GetProperty("$link");
        path.Add(".$link");
        if (link.ValueKind != JsonValueKind.String)
        {
            throw Error($"$link must be a CID string, not {Describe(link.ValueKind)}", path);
        }

        if (!Cid.TryParse(link.GetString(), out var cid))
        {
            throw Error($"$link \"{link.GetString()}\" is not a CIDv1 (base32, sha2-256, dag-cbor or raw)", path);
        }

        path.RemoveAt(path.Count - 1);
        return cid;
    }

    private static void WriteBytesObject(JsonElement json, int propertyCount, DagCborWriter writer, List<string> path)
    {
        if (propertyCount != 1)
        {
            throw Error("A $bytes object must have no other keys", path);
        }

        var value = json.GetProperty("$bytes");
        path.Add(".$bytes");
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error($"$bytes must be a base64 string, not {Describe(value.ValueKind)}", path);
        }

        var text = value.GetString()!;
        var bytes = DecodeBase64(text) ?? throw Error("$bytes is not valid base64", path);
        path.RemoveAt(path.Count - 1);
        writer.WriteBytes(bytes);
    }

    private static byte[]? DecodeBase64(string text)
    {
        // The spec writes $bytes without padding; padded input is accepted too, since it decodes to the same bytes.
        var unpadded = text.AsSpan().TrimEnd('=');
        if (text.Length - unpadded.Length > 2 || unpadded.Length % 4 == 1)
        {
            return null;
        }

        var padded = unpadded.Length % 4 == 0 ? unpadded.ToString() : string.Concat(unpadded, new string('=', 4 - (unpadded.Length % 4)));
        var bytes = new byte[padded.Length / 4 * 3];
        return Convert.TryFromBase64String(padded, bytes, out var written) ? bytes[..written] : null;
    }

    private static void CheckBlob(JsonElement json, List<string> path)
    {
        if (!json.TryGetProperty("ref", out var reference))
        {
            throw Error("A blob needs a \"ref\" link", path);
        }

        if (reference.ValueKind != JsonValueKind.Object || !reference.TryGetProperty("$link", out _))
        {
            throw Error("A blob's \"ref\" must be a {\"$link\": cid} object", path);
        }

        if (!json.TryGetProperty("mimeType", out var mimeType) || mimeType.ValueKind != JsonValueKind.String)
        {
            throw Error("A blob needs a \"mimeType\" string", path);
        }

        if (!json.TryGetProperty("size", out var size) || size.ValueKind != JsonValueKind.Number)
        {
            throw Error("A blob needs an integer \"size\"", path);
        }
    }

    private static DataModelJsonException Error(string message, List<string> path) => new(message, string.Concat(path));

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
