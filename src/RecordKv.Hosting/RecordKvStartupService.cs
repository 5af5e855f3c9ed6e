using Microsoft.Extensions.Hosting;

namespace RecordKv.Hosting;

/// <summary>Opens the connection and store during host start-up, so a misfit (partition count, max_payload) stops the service before any worker runs.</summary>
internal sealed class RecordKvStartupService(RecordKvConnection connection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => connection.OpenAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
