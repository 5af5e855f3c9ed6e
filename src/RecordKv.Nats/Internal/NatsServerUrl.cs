using System.Globalization;

namespace RecordKv.Nats.Internal;

/// <summary>One server address: host, port, whether TLS is demanded by its scheme, optional credentials.</summary>
internal readonly record struct NatsServerUrl(string Host, int Port, bool Tls, string? User, string? Password)
{
    public const int DefaultPort = 4222;

    /// <summary>Parses <c>nats://[user:password@]host[:port]</c>, <c>tls://...</c> or a bare <c>host[:port]</c>.</summary>
    public static NatsServerUrl Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "nats://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{text}' is not a NATS server URL (nats://host:port).", nameof(text));
        }

        var tls = uri.Scheme switch
        {
            "nats" => false,
            "tls" => true,
            _ => throw new ArgumentException($"'{text}' has scheme '{uri.Scheme}'; use nats:// or tls://.", nameof(text)),
        };
        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        var host = uri.Host.Trim('[', ']');
        return new NatsServerUrl(host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, tls, user, password);
    }

    /// <summary>Whether both name the same endpoint.</summary>
    public bool SameEndpoint(NatsServerUrl other) =>
        Port == other.Port && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Tls ? "tls" : "nats")}://{(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{Port}");
}
