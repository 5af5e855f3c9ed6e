using Xunit;

namespace RecordKv.Testing;

/// <summary>
/// One nats-server (JetStream, max_payload 8MB) per xunit collection. A test assembly declares
/// <c>[CollectionDefinition(NatsServerFixture.CollectionName)] class NatsCollection : ICollectionFixture&lt;NatsServerFixture&gt;</c>
/// and its test classes use <c>[Collection(NatsServerFixture.CollectionName)]</c>.
/// </summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    /// <summary>The collection name test classes use.</summary>
    public const string CollectionName = "nats";

    private NatsServerProcess? _server;

    /// <summary>The running server.</summary>
    public NatsServerProcess Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The server's client URL.</summary>
    public string Url => Server.Url;

    /// <summary>A token that cancels after 30 s: every NATS test runs under one.</summary>
    public static CancellationToken TestTimeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    /// <summary>Starts the server.</summary>
    public async Task InitializeAsync() => _server = await NatsServerProcess.StartAsync().ConfigureAwait(false);

    /// <summary>Kills the server and deletes its store.</summary>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
