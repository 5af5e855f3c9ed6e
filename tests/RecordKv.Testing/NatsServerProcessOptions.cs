namespace RecordKv.Testing;

/// <summary>What goes into the config file a test's nats-server starts with.</summary>
public sealed record NatsServerProcessOptions
{
    /// <summary>The server name (JetStream clusters need distinct ones). Default: a random name.</summary>
    public string? ServerName { get; init; }

    /// <summary>Whether JetStream is on. Default: true.</summary>
    public bool JetStream { get; init; } = true;

    /// <summary>The server's max_payload. Default: 8MB (firehose frames reach 5 MB).</summary>
    public string MaxPayload { get; init; } = "8MB";

    /// <summary>User for user/password authentication. Default: none.</summary>
    public string? User { get; init; }

    /// <summary>Password for user/password authentication. Default: none.</summary>
    public string? Password { get; init; }

    /// <summary>Token for token authentication. Default: none.</summary>
    public string? Token { get; init; }

    /// <summary>PEM files of the server's TLS certificate and key; when set the server requires TLS. Default: none.</summary>
    public (string CertificateFile, string KeyFile)? Tls { get; init; }

    /// <summary>The cluster name; set together with <see cref="ClusterPort"/>. Default: none (not clustered).</summary>
    public string? ClusterName { get; init; }

    /// <summary>The route listen port of this node. Default: none.</summary>
    public int? ClusterPort { get; init; }

    /// <summary>The route ports of the other nodes. Default: none.</summary>
    public IReadOnlyList<int> RoutePorts { get; init; } = [];

    /// <summary>Lines appended to the config file as they are.</summary>
    public string? ExtraConfig { get; init; }
}
