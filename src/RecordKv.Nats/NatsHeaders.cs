using System.Buffers.Text;
using System.Collections;
using System.Text;

namespace RecordKv.Nats;

/// <summary>NATS message headers: ordered, multi-valued, names case-sensitive as sent, plus the optional status line (<c>NATS/1.0 503 No Responders</c>).</summary>
public sealed class NatsHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private static ReadOnlySpan<byte> Version => "NATS/1.0"u8;

    private readonly List<KeyValuePair<string, string>> _entries = [];

    /// <summary>The status code of the status line (e.g. 503, 408, 404), or null when there is none.</summary>
    public int? StatusCode { get; private set; }

    /// <summary>The description after the status code (e.g. "No Responders"), or null.</summary>
    public string? StatusDescription { get; private set; }

    /// <summary>The number of name/value pairs.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a value, keeping any earlier values of the same name.</summary>
    public NatsHeaders Add(string name, string value)
    {
        ValidateName(name);
        ValidateValue(value);
        _entries.Add(new(name, value));
        return this;
    }

    /// <summary>Replaces every value of the name with this one.</summary>
    public NatsHeaders Set(string name, string value)
    {
        Remove(name);
        return Add(name, value);
    }

    /// <summary>Removes every value of the name; returns whether there was one.</summary>
    public bool Remove(string name)
    {
        return _entries.RemoveAll(entry => string.Equals(entry.Key, name, StringComparison.Ordinal)) > 0;
    }

    /// <summary>The last value of the name, or null.</summary>
    public string? GetLastValue(string name)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].Key, name, StringComparison.Ordinal))
            {
                return _entries[i].Value;
            }
        }

        return null;
    }

    /// <summary>Every value of the name in the order received.</summary>
    public bool TryGetValue(string name, out IReadOnlyList<string> values)
    {
        List<string>? found = null;
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, name, StringComparison.Ordinal))
            {
                (found ??= []).Add(entry.Value);
            }
        }

        values = found ?? (IReadOnlyList<string>)[];
        return found is not null;
    }

    /// <summary>Enumerates the name/value pairs in order.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The bytes the header block takes on the wire, final blank line included.</summary>
    internal int GetSerializedLength()
    {
        var length = Version.Length + 2;
        foreach (var entry in _entries)
        {
            length += Encoding.UTF8.GetByteCount(entry.Key) + 2 + Encoding.UTF8.GetByteCount(entry.Value) + 2;
        }

        return length + 2;
    }

    /// <summary>Writes the header block; <paramref name="destination"/> has <see cref="GetSerializedLength"/> bytes.</summary>
    internal void WriteTo(Span<byte> destination)
    {
        Version.CopyTo(destination);
        var position = Version.Length;
        destination[position++] = (byte)'\r';
        destination[position++] = (byte)'\n';
        foreach (var entry in _entries)
        {
            position += Encoding.UTF8.GetBytes(entry.Key, destination[position..]);
            destination[position++] = (byte)':';
            destination[position++] = (byte)' ';
            position += Encoding.UTF8.GetBytes(entry.Value, destination[position..]);
            destination[position++] = (byte)'\r';
            destination[position++] = (byte)'\n';
        }

        destination[position++] = (byte)'\r';
        destination[position] = (byte)'\n';
    }

    /// <summary>Parses a received header block (<c>NATS/1.0[ code[ text]]\r\n(name: value\r\n)*\r\n</c>).</summary>
    internal static NatsHeaders Parse(ReadOnlySpan<byte> block)
    {
        var headers = new NatsHeaders();
        var lineEnd = block.IndexOf("\r\n"u8);
        if (lineEnd < 0 || !block.StartsWith(Version))
        {
            throw new NatsProtocolException("A header block does not start with a 'NATS/1.0' line.");
        }

        var status = block[Version.Length..lineEnd].TrimStart((byte)' ');
        if (!status.IsEmpty)
        {
            var space = status.IndexOf((byte)' ');
            var code = space < 0 ? status : status[..space];
            if (code.Length != 3 || !Utf8Parser.TryParse(code, out int statusCode, out var consumed) || consumed != 3)
            {
                throw new NatsProtocolException("A header status line has no three-digit status code.");
            }

            headers.StatusCode = statusCode;
            if (space >= 0)
            {
                var description = status[(space + 1)..].Trim((byte)' ');
                headers.StatusDescription = description.IsEmpty ? null : Encoding.UTF8.GetString(description);
            }
        }

        var rest = block[(lineEnd + 2)..];
        while (true)
        {
            var end = rest.IndexOf("\r\n"u8);
            if (end < 0)
            {
                throw new NatsProtocolException("A header block does not end with an empty line.");
            }

            if (end == 0)
            {
                break;
            }

            var line = rest[..end];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new NatsProtocolException("A header line has no 'name:' part.");
            }

            var name = Encoding.UTF8.GetString(line[..colon]);
            var value = Encoding.UTF8.GetString(line[(colon + 1)..].Trim((byte)' '));
            headers._entries.Add(new(name, value));
            rest = rest[(end + 2)..];
        }

        return headers;
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var c in name)
        {
            if (c <= ' ' || c == ':' || c >= 127)
            {
                throw new ArgumentException($"Header name '{name}' holds a character NATS headers do not allow.", nameof(name));
            }
        }
    }

    private static void ValidateValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("A header value cannot hold CR or LF.", nameof(value));
        }
    }
}
