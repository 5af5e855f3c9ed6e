using RecordKv.Testing;

namespace RecordKv.Nats.Tests.Core;

public sealed class NatsAuthTests
{
    [Fact]
    public async Task ConnectAsync_UserPassword_ConnectsWithRightAndFailsClearlyWithWrong()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = await NatsServerProcess.StartAsync(new NatsServerProcessOptions { User = "alice", Password = "s3cret", JetStream = false }, token);

        await using (var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [server.Url], User = "alice", Password = "s3cret" }, token))
        {
            connection.ServerInfo.AuthRequired.ShouldBeTrue();
            await connection.PingAsync(token);
        }

        var error = await Should.ThrowAsync<NatsServerErrorException>(
            NatsConnection.ConnectAsync(new NatsOptions { Servers = [server.Url], User = "alice", Password = "wrong" }, token));
        error.IsAuthorizationError.ShouldBeTrue();
        error.Message.ShouldContain("Authorization Violation");
    }

    [Fact]
    public async Task ConnectAsync_CredentialsInUrl_AreUsed()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = await NatsServerProcess.StartAsync(new NatsServerProcessOptions { User = "bob", Password = "p@ss", JetStream = false }, token);

        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [$"nats://bob:p%40ss@127.0.0.1:{server.Port}"] }, token);

        await connection.PingAsync(token);
    }

    [Fact]
    public async Task ConnectAsync_Token_ConnectsWithRightAndFailsClearlyWithWrongOrMissing()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = await NatsServerProcess.StartAsync(new NatsServerProcessOptions { Token = "t0ken", JetStream = false }, token);

        await using (var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [server.Url], Token = "t0ken" }, token))
        {
            await connection.PingAsync(token);
        }

        (await Should.ThrowAsync<NatsServerErrorException>(NatsConnection.ConnectAsync(new NatsOptions { Servers = [server.Url], Token = "nope" }, token)))
            .IsAuthorizationError.ShouldBeTrue();
        (await Should.ThrowAsync<NatsServerErrorException>(NatsConnection.ConnectAsync(new NatsOptions { Servers = [server.Url] }, token)))
            .IsAuthorizationError.ShouldBeTrue();
    }
}
