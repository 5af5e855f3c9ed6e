using RecordKv.Testing;

namespace RecordKv.Nats.Tests.Core;

public sealed class NatsTlsTests : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("recordkv-tls-");
    private TestCertificateAuthority _authority = null!;
    private NatsServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _authority = TestCertificateAuthority.Create(_directory.FullName);
        _server = await NatsServerProcess.StartAsync(new NatsServerProcessOptions
        {
            JetStream = false,
            Tls = (_authority.ServerCertificateFile, _authority.ServerKeyFile),
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task ConnectAsync_TlsRequiredWithCustomCa_ConnectsAndExchangesMessages()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions
        {
            Servers = [_server.Url],
            Tls = new NatsTlsOptions { CaFile = _authority.CaFile },
        }, token);
        await using var subscription = await connection.SubscribeAsync("tls.test", cancellationToken: token);
        await connection.PingAsync(token);

        await connection.PublishAsync("tls.test", new byte[100_000], cancellationToken: token);

        connection.ServerInfo.TlsRequired.ShouldBeTrue();
        (await subscription.Messages.ReadAsync(token)).Data.Length.ShouldBe(100_000);
    }

    [Fact]
    public async Task ConnectAsync_TlsRequiredServerWithoutTlsOptions_UpgradesBecauseServerRequiresIt()
    {
        var token = NatsServerFixture.TestTimeout();

        // The server demands TLS; without our CA the system trust store rejects its certificate.
        var error = await Should.ThrowAsync<NatsConnectionException>(
            NatsConnection.ConnectAsync(new NatsOptions { Servers = [_server.Url] }, token));

        error.ToString().ShouldContain("Authentication");
    }

    [Fact]
    public async Task ConnectAsync_CertificateForAnotherName_IsRejected()
    {
        var token = NatsServerFixture.TestTimeout();

        await Should.ThrowAsync<NatsConnectionException>(NatsConnection.ConnectAsync(new NatsOptions
        {
            Servers = [_server.Url],
            Tls = new NatsTlsOptions { CaFile = _authority.CaFile, ServerName = "not-this-server.example" },
        }, token));
    }

    [Fact]
    public async Task ConnectAsync_InsecureSkipVerify_Connects()
    {
        var token = NatsServerFixture.TestTimeout();

        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions
        {
            Servers = [$"tls://127.0.0.1:{_server.Port}"],
            Tls = new NatsTlsOptions { InsecureSkipVerify = true },
        }, token);

        await connection.PingAsync(token);
    }
}
