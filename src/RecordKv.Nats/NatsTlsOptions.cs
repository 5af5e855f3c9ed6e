namespace RecordKv.Nats;

/// <summary>TLS settings of a connection: which authority to trust and which client certificate to present.</summary>
public sealed record NatsTlsOptions
{
    /// <summary>A PEM file of the certificate authorities that sign the server certificate; when null the system's trust store is used. Default: none.</summary>
    public string? CaFile { get; init; }

    /// <summary>A PEM file with the client certificate for servers that verify clients (<c>verify: true</c>). Default: none.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>The PEM file of the client certificate's private key. Default: none.</summary>
    public string? KeyFile { get; init; }

    /// <summary>The host name the server certificate must carry; when null the host of the server URL is used. Default: none.</summary>
    public string? ServerName { get; init; }

    /// <summary>Accepts any server certificate. For tests only: it removes the protection TLS gives. Default: false.</summary>
    public bool InsecureSkipVerify { get; init; }
}
