namespace RecordKv.Hosting;

/// <summary>The NATS connection settings of a service (configuration section <c>Nats</c>).</summary>
public sealed class RecordKvNatsSettings
{
    /// <summary>The configuration section the settings bind from.</summary>
    public const string SectionName = "Nats";

    /// <summary>Server URLs, as a list (<c>Nats:Servers:0</c>) or comma-separated (<c>RECORDKV_Nats__Servers=nats://a:4222,nats://b:4222</c>); default <c>nats://127.0.0.1:4222</c>.</summary>
    public string[] Servers { get; set; } = [];

    /// <summary>User name, when the server requires one.</summary>
    public string? User { get; set; }

    /// <summary>Password of <see cref="User"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Authentication token, when the server requires one.</summary>
    public string? Token { get; set; }

    /// <summary>The connection name shown by the server (default: the service name).</summary>
    public string? Name { get; set; }

    /// <summary>A CA certificate file to trust for TLS connections.</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>The URLs to connect to, splitting comma-separated entries.</summary>
    public IReadOnlyList<string> ServerList()
    {
        var list = new List<string>();
        foreach (var entry in Servers)
        {
            foreach (var part in entry.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                list.Add(part);
            }
        }

        return list.Count == 0 ? ["nats://127.0.0.1:4222"] : list;
    }
}
