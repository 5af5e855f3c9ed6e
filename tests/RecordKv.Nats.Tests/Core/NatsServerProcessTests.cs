using System.Net.Sockets;
using RecordKv.Testing;

namespace RecordKv.Nats.Tests.Core;

public sealed class NatsServerProcessTests
{
    [Fact]
    public async Task RestartAsync_AfterKill_ServesOnSamePortWithSameStore()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = await NatsServerProcess.StartAsync(cancellationToken: token);
        var port = server.Port;
        var marker = Path.Combine(server.StoreDirectory, "marker");
        await File.WriteAllTextAsync(marker, "kept", token);

        await server.KillAsync(token);
        server.IsRunning.ShouldBeFalse();
        await Should.ThrowAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, token);
        });
        await server.RestartAsync(cancellationToken: token);

        server.Port.ShouldBe(port);
        File.Exists(marker).ShouldBeTrue();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [server.Url] }, token);
        connection.ServerInfo.ServerName.ShouldBe(server.ServerName);
    }

    [Fact]
    public async Task DisposeAsync_RunningServer_DeletesItsDirectory()
    {
        var token = NatsServerFixture.TestTimeout();
        var server = await NatsServerProcess.StartAsync(cancellationToken: token);
        var directory = server.Directory;

        await server.DisposeAsync();

        Directory.Exists(directory).ShouldBeFalse();
    }
}
