using System.Text;
using RecordKv.Testing;

namespace RecordKv.Nats.Tests.Core;

public sealed class NatsMalformedServerTests
{
    private static NatsOptions Options(FakeNatsServer server) => new()
    {
        Servers = [server.Url],
        MaxReconnectAttempts = 0,
        ConnectTimeout = TimeSpan.FromSeconds(3),
    };

    private static bool ChainHas<T>(Exception? error)
        where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T)
            {
                return true;
            }
        }

        return false;
    }

    public static TheoryData<string, string> HandshakeGarbage => new()
    {
        { "not an INFO", "GARBAGE\r\n" },
        { "INFO without JSON", "INFO hello\r\n" },
        { "INFO with broken JSON", "INFO {\"server_id\": \r\n" },
        { "INFO truncated by close", "INFO {\"server_id\":\"x\"" },
        { "endless line", new string('A', NatsProtocolParserMaxLine + 10) },
        { "binary noise", "\u0001\u0002\u0003\u0004\r\n" },
        { "MSG before CONNECT", FakeNatsServer.Info + "MSG a 1 1\r\nx\r\n" },
    };

    private const int NatsProtocolParserMaxLine = 64 * 1024;

    [Theory]
    [MemberData(nameof(HandshakeGarbage))]
    public async Task ConnectAsync_MalformedHandshake_ThrowsProtocolErrorQuickly(string name, string garbage)
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = new FakeNatsServer(async (stream, ct) =>
        {
            await FakeNatsServer.SendAsync(stream, garbage, ct);
            if (garbage.StartsWith("INFO", StringComparison.Ordinal) && garbage.EndsWith('\n'))
            {
                await FakeNatsServer.ReadUntilAsync(stream, "PING\r\n", ct);
            }
        });

        var error = await Should.ThrowAsync<NatsException>(NatsConnection.ConnectAsync(Options(server), token).WaitAsync(TimeSpan.FromSeconds(10), token));

        ChainHas<NatsProtocolException>(error).ShouldBeTrue($"{name}: {error}");
    }

    [Fact]
    public async Task ConnectAsync_ServerClosesAtOnce_ThrowsConnectionError()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = new FakeNatsServer((_, _) => Task.CompletedTask);

        var error = await Should.ThrowAsync<NatsConnectionException>(NatsConnection.ConnectAsync(Options(server), token).WaitAsync(TimeSpan.FromSeconds(10), token));

        error.InnerException.ShouldBeOfType<NatsConnectionException>();
    }

    [Fact]
    public async Task ConnectAsync_ServerSilent_TimesOut()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = new FakeNatsServer((_, ct) => Task.Delay(Timeout.Infinite, ct));
        var options = Options(server) with { ConnectTimeout = TimeSpan.FromMilliseconds(300) };

        var error = await Should.ThrowAsync<NatsConnectionException>(NatsConnection.ConnectAsync(options, token).WaitAsync(TimeSpan.FromSeconds(10), token));

        error.InnerException.ShouldBeOfType<NatsTimeoutException>();
    }

    [Fact]
    public async Task ConnectAsync_AuthorizationViolation_ThrowsServerError()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = new FakeNatsServer(async (stream, ct) =>
        {
            await FakeNatsServer.SendAsync(stream, FakeNatsServer.Info, ct);
            await FakeNatsServer.ReadUntilAsync(stream, "PING\r\n", ct);
            await FakeNatsServer.SendAsync(stream, "-ERR 'Authorization Violation'\r\n", ct);
        });

        var error = await Should.ThrowAsync<NatsServerErrorException>(NatsConnection.ConnectAsync(Options(server), token).WaitAsync(TimeSpan.FromSeconds(10), token));

        error.IsAuthorizationError.ShouldBeTrue();
        error.ServerMessage.ShouldBe("Authorization Violation");
    }

    public static TheoryData<string, string> SessionGarbage => new()
    {
        { "oversized MSG length", "MSG test 1 999999999999\r\n" },
        { "MSG longer than its data", "MSG test 1 3\r\nabcdef\r\n" },
        { "HMSG header longer than total", "HMSG test 1 50 10\r\n0123456789\r\n" },
        { "HMSG without NATS/1.0", "HMSG test 1 12 12\r\nHTTP/1.1\r\n\r\n\r\n" },
        { "unknown operation", "WHAT is this\r\n" },
        { "bogus async INFO", "INFO [1,2,3]\r\n" },
        { "truncated MSG then close", "MSG test 1 100\r\nonly a few bytes" },
        { "endless line", new string('x', NatsProtocolParserMaxLine + 10) },
    };

    [Theory]
    [MemberData(nameof(SessionGarbage))]
    public async Task Connected_MalformedServerInput_ClosesWithProtocolError(string name, string garbage)
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = new FakeNatsServer(async (stream, ct) =>
        {
            await FakeNatsServer.HandshakeAsync(stream, ct);
            await FakeNatsServer.ReadUntilAsync(stream, "SUB test 1\r\n", ct);
            await FakeNatsServer.SendAsync(stream, garbage, ct);
        });
        await using var connection = await NatsConnection.ConnectAsync(Options(server), token);
        var disconnected = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionStateChanged += (_, e) =>
        {
            if (e.State == NatsConnectionState.Disconnected)
            {
                disconnected.TrySetResult(e.Error);
            }
        };
        var subscription = await connection.SubscribeAsync("test", cancellationToken: token);

        var reason = await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10), token);
        var completion = await Should.ThrowAsync<NatsConnectionException>(subscription.Messages.Completion.WaitAsync(TimeSpan.FromSeconds(10), token));

        reason.ShouldBeOfType<NatsProtocolException>(name);
        ChainHas<NatsProtocolException>(completion).ShouldBeTrue(name);
        connection.State.ShouldBe(NatsConnectionState.Closed);
        await Should.ThrowAsync<NatsConnectionException>(async () => await connection.PublishAsync("x", Encoding.UTF8.GetBytes("y"), cancellationToken: token));
    }

    [Fact]
    public async Task Connected_ServerStopsAnsweringPings_DetectsStaleConnection()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = new FakeNatsServer(async (stream, ct) =>
        {
            await FakeNatsServer.HandshakeAsync(stream, ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        var options = Options(server) with { PingInterval = TimeSpan.FromMilliseconds(100), MaxPingsOutstanding = 2 };
        await using var connection = await NatsConnection.ConnectAsync(options, token);
        var disconnected = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionStateChanged += (_, e) =>
        {
            if (e.State == NatsConnectionState.Disconnected)
            {
                disconnected.TrySetResult(e.Error);
            }
        };

        var reason = await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10), token);

        reason.ShouldBeOfType<NatsConnectionException>().Message.ShouldContain("stale");
    }

    [Fact]
    public async Task Connected_PermissionsViolation_RaisesServerErrorAndStaysConnected()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = new FakeNatsServer(async (stream, ct) =>
        {
            await FakeNatsServer.HandshakeAsync(stream, ct);
            await FakeNatsServer.ReadUntilAsync(stream, "SUB secret 1\r\n", ct);
            await FakeNatsServer.SendAsync(stream, "-ERR 'Permissions Violation for Subscription to \"secret\"'\r\n", ct);
            while (true)
            {
                await FakeNatsServer.ReadUntilAsync(stream, "PING\r\n", ct);
                await FakeNatsServer.SendAsync(stream, "PONG\r\n", ct);
            }
        });
        await using var connection = await NatsConnection.ConnectAsync(Options(server), token);
        var serverError = new TaskCompletionSource<NatsServerErrorException>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ServerError += (_, e) => serverError.TrySetResult(e.Error);

        var subscription = await connection.SubscribeAsync("secret", cancellationToken: token);
        var error = await serverError.Task.WaitAsync(TimeSpan.FromSeconds(10), token);
        var completion = await Should.ThrowAsync<NatsServerErrorException>(subscription.Messages.Completion.WaitAsync(TimeSpan.FromSeconds(10), token));

        error.IsPermissionsViolation.ShouldBeTrue();
        completion.ServerMessage.ShouldContain("secret");
        await connection.PingAsync(token);
        connection.State.ShouldBe(NatsConnectionState.Connected);
    }
}
