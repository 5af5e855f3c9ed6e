using System.Text.Json.Serialization;

namespace RecordKv.Nats;

/// <summary>What the server said about itself in its latest INFO.</summary>
public sealed record NatsServerInfo
{
    /// <summary>The server's unique id.</summary>
    [JsonPropertyName("server_id")]
    public string ServerId { get; init; } = "";

    /// <summary>The server's configured name.</summary>
    [JsonPropertyName("server_name")]
    public string ServerName { get; init; } = "";

    /// <summary>The server version, e.g. 2.9.10.</summary>
    [JsonPropertyName("version")]
    public string Version { get; init; } = "";

    /// <summary>The protocol level the server speaks.</summary>
    [JsonPropertyName("proto")]
    public int Protocol { get; init; }

    /// <summary>The host the server listens on.</summary>
    [JsonPropertyName("host")]
    public string Host { get; init; } = "";

    /// <summary>The client port.</summary>
    [JsonPropertyName("port")]
    public int Port { get; init; }

    /// <summary>The largest message (headers plus payload) the server accepts, in bytes.</summary>
    [JsonPropertyName("max_payload")]
    public long MaxPayload { get; init; } = 1024 * 1024;

    /// <summary>Whether the server supports message headers.</summary>
    [JsonPropertyName("headers")]
    public bool Headers { get; init; }

    /// <summary>Whether JetStream is enabled.</summary>
    [JsonPropertyName("jetstream")]
    public bool JetStream { get; init; }

    /// <summary>Whether the server requires authentication.</summary>
    [JsonPropertyName("auth_required")]
    public bool AuthRequired { get; init; }

    /// <summary>Whether the server requires TLS.</summary>
    [JsonPropertyName("tls_required")]
    public bool TlsRequired { get; init; }

    /// <summary>Whether the server verifies client certificates.</summary>
    [JsonPropertyName("tls_verify")]
    public bool TlsVerify { get; init; }

    /// <summary>Other servers of the cluster clients may connect to (<c>host:port</c>).</summary>
    [JsonPropertyName("connect_urls")]
    public IReadOnlyList<string> ConnectUrls { get; init; } = [];

    /// <summary>Whether the server is shutting down gracefully (lame-duck mode) and clients should move.</summary>
    [JsonPropertyName("ldm")]
    public bool LameDuckMode { get; init; }

    /// <summary>The id the server gave this client.</summary>
    [JsonPropertyName("client_id")]
    public ulong ClientId { get; init; }

    /// <summary>The client's address as the server sees it.</summary>
    [JsonPropertyName("client_ip")]
    public string? ClientIp { get; init; }

    /// <summary>The cluster name, if the server is clustered.</summary>
    [JsonPropertyName("cluster")]
    public string? Cluster { get; init; }

    /// <summary>The nonce to sign for nkey authentication (not used by this client).</summary>
    [JsonPropertyName("nonce")]
    public string? Nonce { get; init; }
}
